"""edXML packages (QCVN 102:2016): what they hold, and their builder and parser (lxml).

A document package::

    <edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016">
      <edXMLEnvelope>
        <edXMLHeader>
          <MessageHeader> From, To+, Code, PromulgationInfo, DocumentType, Subject, Content,
            SignerInfo, DueDate, ToPlaces, OtherInfo, ResponseFor*, SteeringType, DocumentId
          </MessageHeader>
          <TraceHeaderList> TraceHeader+ {OrganId, Timestamp}, Bussiness {BussinessDocType, ...}
          </TraceHeaderList>
          <ds:Signature/>   (XML-DSig, enveloped: motcua.exchange.signature)
        </edXMLHeader>
        <edXMLBody><edXMLManifest> Reference+ (xlink:href="cid:…") </edXMLManifest></edXMLBody>
      </edXMLEnvelope>
      <AttachmentEncoded> Attachment+ {ContentType, ContentId, Description, ContentTransferEncoded
                          (base64), AttachmentName} </AttachmentEncoded>
    </edXML>

A status message has the same envelope with a MessageHeader of ResponseFor, From, StaffInfo,
StatusCode, Description, Timestamp and no body. Dates are ``YYYY/MM/DD`` (PromulgationDate, DueDate),
instants ``yyyy/MM/dd HH:mm:ss`` in Vietnam's time (Timestamp). This module is pure: no database.
"""

import base64
import binascii
import datetime
import hashlib
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from lxml import etree

from motcua.exchange.constants import BusinessType, StatusCode

NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
XLINK = "http://www.w3.org/1999/xlink"
DS = "http://www.w3.org/2000/09/xmldsig#"
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
DATE_FORMAT = "%Y/%m/%d"
TIMESTAMP_FORMAT = "%Y/%m/%d %H:%M:%S"
# The largest package we read (a few scanned attachments, base64).
MAX_PACKAGE_BYTES = 64 * 1024 * 1024


class MalformedPackage(ValueError):
    """A package that is not edXML as the standard lays it out; the message names what is wrong."""


# -- what a package holds ----------------------------------------------------------------------------------


@dataclass
class Organization:
    """From / To: an agency by its identifier (mã định danh, Decision 20/2020)."""

    organ_id: str
    organ_name: str = ""
    organization_in_charge: str = ""
    organ_add: str = ""
    email: str = ""
    telephone: str = ""
    fax: str = ""
    website: str = ""


@dataclass
class Code:
    """Số, ký hiệu: the number and the notation (``QĐ-UBND``) of ``123/QĐ-UBND``."""

    number: str
    notation: str

    def __str__(self) -> str:
        return f"{self.number}/{self.notation}" if self.number else self.notation


@dataclass
class PromulgationInfo:
    place: str
    date: datetime.date


@dataclass
class DocumentType:
    """Type: 1 legal document, 2 administrative document (the standard's codes); TypeDetail: the
    document type's code; TypeName: its name (Quyết định, Công văn...)."""

    type: str = "2"
    type_detail: str = ""
    type_name: str = ""


@dataclass
class SignerInfo:
    """Competence: the signing authority (TM., KT., Q....); Position: the title; FullName."""

    competence: str = ""
    position: str = ""
    full_name: str = ""


@dataclass
class OtherInfo:
    """Priority (0 normal, 1 urgent, 2 very urgent, 3 express, 4 immediate), sphere, typist's notation,
    copies, pages, appendices."""

    priority: int = 0
    sphere_of_promulgation: str = ""
    typer_notation: str = ""
    promulgation_amount: int = 1
    page_amount: int = 1
    appendixes: list[str] = field(default_factory=list)


@dataclass
class ResponseFor:
    """The document a package or status answers: the sender's identifier, its code, date and DocumentId."""

    organ_id: str
    code: str
    promulgation_date: datetime.date
    document_id: str


@dataclass
class MessageHeader:
    from_: Organization
    to: list[Organization]
    code: Code
    promulgation_info: PromulgationInfo
    document_type: DocumentType
    subject: str
    content: str = ""
    signer_info: SignerInfo = field(default_factory=SignerInfo)
    due_date: datetime.date | None = None
    to_places: list[str] = field(default_factory=list)
    other_info: OtherInfo = field(default_factory=OtherInfo)
    response_for: list[ResponseFor] = field(default_factory=list)
    steering_type: str = "0"
    document_id: str = ""


@dataclass
class StaffInfo:
    department: str = ""
    staff: str = ""
    mobile: str = ""
    email: str = ""


@dataclass
class TraceHeader:
    organ_id: str
    timestamp: datetime.datetime


@dataclass
class Replacement:
    """ReplacementInfo: a document a replacement (business type 3) replaces, by its DocumentId, at
    the receivers named (all of the package's receivers when none is)."""

    document_id: str
    organ_ids: list[str] = field(default_factory=list)


@dataclass
class Business:
    """Bussiness (sic, the standard's spelling): what the package does, why, and who did it. An
    update says which parts changed (BussinessDocumentInfo: the document's details, its receivers);
    a replacement names the documents it replaces (ReplacementInfoList)."""

    doc_type: BusinessType = BusinessType.NEW
    reason: str = ""
    staff_info: StaffInfo = field(default_factory=StaffInfo)
    paper: int = 0
    document_info_changed: bool = False
    receivers_changed: bool = False
    replacements: list[Replacement] = field(default_factory=list)


@dataclass
class Attachment:
    name: str
    content_type: str
    data: bytes
    content_id: str = ""
    description: str = ""

    def __post_init__(self) -> None:
        if not self.content_id:
            # Stable for the same content: a rebuilt package names its attachments the same way.
            self.content_id = hashlib.sha256(self.data).hexdigest()[:32]


@dataclass
class Package:
    """A document package (văn bản điện tử)."""

    header: MessageHeader
    traces: list[TraceHeader]
    business: Business = field(default_factory=Business)
    attachments: list[Attachment] = field(default_factory=list)

    @property
    def sender(self) -> str:
        return self.header.from_.organ_id


@dataclass
class StatusMessage:
    """A status message (gói tin trạng thái) about a document the receiver got."""

    response_for: ResponseFor
    from_: Organization
    status_code: StatusCode
    timestamp: datetime.datetime
    description: str = ""
    staff_info: StaffInfo = field(default_factory=StaffInfo)

    @property
    def sender(self) -> str:
        return self.from_.organ_id


def document_id(organ_id: str, date: datetime.date, code: Code) -> str:
    """The DocumentId the sender gives a document: ``{OrganId},{YYYY/MM/DD},{number}/{notation}``."""
    return f"{organ_id},{date.strftime(DATE_FORMAT)},{code}"


def format_date(value: datetime.date) -> str:
    return value.strftime(DATE_FORMAT)


def format_timestamp(value: datetime.datetime) -> str:
    if value.tzinfo is not None:
        value = value.astimezone(VIETNAM)
    return value.strftime(TIMESTAMP_FORMAT)


# -- building ----------------------------------------------------------------------------------------------


def _q(name: str) -> str:
    return f"{{{NS}}}{name}"


def _el(parent: etree._Element, name: str, text: str | None = None) -> etree._Element:
    child = etree.SubElement(parent, _q(name))
    if text is not None:
        child.text = text
    return child


def _organization(parent: etree._Element, name: str, org: Organization) -> None:
    node = _el(parent, name)
    _el(node, "OrganId", org.organ_id)
    _el(node, "OrganizationInCharge", org.organization_in_charge)
    _el(node, "OrganName", org.organ_name)
    _el(node, "OrganAdd", org.organ_add)
    _el(node, "Email", org.email)
    _el(node, "Telephone", org.telephone)
    _el(node, "Fax", org.fax)
    _el(node, "Website", org.website)


def _staff(parent: etree._Element, staff: StaffInfo) -> None:
    node = _el(parent, "StaffInfo")
    _el(node, "Department", staff.department)
    _el(node, "Staff", staff.staff)
    _el(node, "Mobile", staff.mobile)
    _el(node, "Email", staff.email)


def _response_for(parent: etree._Element, value: ResponseFor) -> None:
    node = _el(parent, "ResponseFor")
    _el(node, "OrganId", value.organ_id)
    _el(node, "Code", value.code)
    _el(node, "PromulgationDate", format_date(value.promulgation_date))
    _el(node, "DocumentId", value.document_id)


def _root() -> tuple[etree._Element, etree._Element]:
    root = etree.Element(_q("edXML"), nsmap={None: NS, "xlink": XLINK})
    envelope = _el(root, "edXMLEnvelope")
    return root, envelope


def _signature_placeholder(header: etree._Element) -> None:
    # signxml replaces this element with the enveloped signature (motcua.exchange.signature).
    etree.SubElement(header, f"{{{DS}}}Signature", Id="placeholder", nsmap={"ds": DS})


def build_package(package: Package, *, placeholder: bool = True) -> etree._Element:
    """The XML tree of a document package, with a signature placeholder in edXMLHeader."""
    h = package.header
    root, envelope = _root()
    header = _el(envelope, "edXMLHeader")
    message = _el(header, "MessageHeader")
    _organization(message, "From", h.from_)
    for to in h.to:
        _organization(message, "To", to)
    code = _el(message, "Code")
    _el(code, "CodeNumber", h.code.number)
    _el(code, "CodeNotation", h.code.notation)
    info = _el(message, "PromulgationInfo")
    _el(info, "Place", h.promulgation_info.place)
    _el(info, "PromulgationDate", format_date(h.promulgation_info.date))
    kind = _el(message, "DocumentType")
    _el(kind, "Type", h.document_type.type)
    _el(kind, "TypeDetail", h.document_type.type_detail)
    _el(kind, "TypeName", h.document_type.type_name)
    _el(message, "Subject", h.subject)
    _el(message, "Content", h.content)
    signer = _el(message, "SignerInfo")
    _el(signer, "Competence", h.signer_info.competence)
    _el(signer, "Position", h.signer_info.position)
    _el(signer, "FullName", h.signer_info.full_name)
    if h.due_date is not None:
        _el(message, "DueDate", format_date(h.due_date))
    places = _el(message, "ToPlaces")
    for place in h.to_places:
        _el(places, "Place", place)
    other = _el(message, "OtherInfo")
    _el(other, "Priority", str(h.other_info.priority))
    _el(other, "SphereOfPromulgation", h.other_info.sphere_of_promulgation)
    _el(other, "TyperNotation", h.other_info.typer_notation)
    _el(other, "PromulgationAmount", str(h.other_info.promulgation_amount))
    _el(other, "PageAmount", str(h.other_info.page_amount))
    appendixes = _el(other, "Appendixes")
    for appendix in h.other_info.appendixes:
        _el(appendixes, "Appendix", appendix)
    for answered in h.response_for:
        _response_for(message, answered)
    _el(message, "SteeringType", h.steering_type)
    _el(message, "DocumentId", h.document_id)

    traces = _el(header, "TraceHeaderList")
    for trace in package.traces:
        node = _el(traces, "TraceHeader")
        _el(node, "OrganId", trace.organ_id)
        _el(node, "Timestamp", format_timestamp(trace.timestamp))
    business = _el(traces, "Bussiness")
    _el(business, "BussinessDocType", str(int(package.business.doc_type)))
    _el(business, "BussinessDocReason", package.business.reason)
    _staff(business, package.business.staff_info)
    _el(business, "Paper", str(package.business.paper))
    if package.business.doc_type == BusinessType.UPDATE:
        info = _el(business, "BussinessDocumentInfo")
        _el(info, "DocumentInfo", str(int(package.business.document_info_changed)))
        _el(info, "DocumentReceiver", str(int(package.business.receivers_changed)))
    if package.business.replacements:
        replacements = _el(business, "ReplacementInfoList")
        for replaced in package.business.replacements:
            node = _el(replacements, "ReplacementInfo")
            _el(node, "DocumentId", replaced.document_id)
            if replaced.organ_ids:
                organs = _el(node, "OrganIdList")
                for organ_id in replaced.organ_ids:
                    _el(organs, "OrganId", organ_id)
    if placeholder:
        _signature_placeholder(header)

    body = _el(envelope, "edXMLBody")
    manifest = _el(body, "edXMLManifest")
    manifest.set("version", "1.0")
    for attachment in package.attachments:
        reference = _el(manifest, "Reference")
        reference.set(f"{{{XLINK}}}href", f"cid:{attachment.content_id}")
        reference.set(f"{{{XLINK}}}type", "simple")
        _el(reference, "ContentId", attachment.content_id)
        _el(reference, "ContentType", attachment.content_type)
        _el(reference, "AttachmentName", attachment.name)
        _el(reference, "Description", attachment.description)
    if package.attachments:
        encoded = _el(root, "AttachmentEncoded")
        for attachment in package.attachments:
            node = _el(encoded, "Attachment")
            _el(node, "ContentType", attachment.content_type)
            _el(node, "ContentId", attachment.content_id)
            _el(node, "Description", attachment.description)
            _el(node, "ContentTransferEncoded", base64.b64encode(attachment.data).decode("ascii"))
            _el(node, "AttachmentName", attachment.name)
    return root


def build_status(status: StatusMessage, *, placeholder: bool = True) -> etree._Element:
    """The XML tree of a status message, with a signature placeholder."""
    root, envelope = _root()
    header = _el(envelope, "edXMLHeader")
    message = _el(header, "MessageHeader")
    _response_for(message, status.response_for)
    _organization(message, "From", status.from_)
    _staff(message, status.staff_info)
    _el(message, "StatusCode", str(status.status_code))
    _el(message, "Description", status.description)
    _el(message, "Timestamp", format_timestamp(status.timestamp))
    if placeholder:
        _signature_placeholder(header)
    return root


def serialize(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


# -- parsing -----------------------------------------------------------------------------------------------


def _parser() -> etree.XMLParser:
    # No entities, no network, no DTD: a package is data from another system.
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True, remove_comments=False
    )


def read_xml(data: bytes) -> etree._Element:
    """Parse the bytes of a package safely; MalformedPackage when they are not XML we accept."""
    if len(data) > MAX_PACKAGE_BYTES:
        raise MalformedPackage(f"The package is larger than {MAX_PACKAGE_BYTES // (1024 * 1024)} MB.")
    try:
        tree = etree.fromstring(data, _parser()).getroottree()
    except etree.XMLSyntaxError as exc:
        raise MalformedPackage(f"Not well-formed XML: {exc}") from None
    if tree.docinfo.doctype:
        raise MalformedPackage("A package may not carry a DOCTYPE.")
    root = tree.getroot()
    if root.tag != _q("edXML"):
        raise MalformedPackage(f"The root element must be edXML in the namespace {NS}, not {root.tag}.")
    return root


class _Reader:
    """Reads required and optional children, naming the path of what is missing."""

    def __init__(self, node: etree._Element, path: str):
        self.node = node
        self.path = path

    def child(self, name: str) -> "_Reader":
        found = self.node.find(_q(name))
        if found is None:
            raise MalformedPackage(f"{self.path}/{name} is missing.")
        return _Reader(found, f"{self.path}/{name}")

    def maybe(self, name: str) -> "_Reader | None":
        found = self.node.find(_q(name))
        return None if found is None else _Reader(found, f"{self.path}/{name}")

    def children(self, name: str) -> list["_Reader"]:
        return [_Reader(n, f"{self.path}/{name}") for n in self.node.findall(_q(name))]

    def text(self, name: str, *, required: bool = False) -> str:
        found = self.node.find(_q(name))
        value = (found.text or "").strip() if found is not None else ""
        if required and not value:
            raise MalformedPackage(f"{self.path}/{name} is missing or empty.")
        return value

    def date(self, name: str, *, required: bool = True) -> datetime.date | None:
        value = self.text(name, required=required)
        if not value:
            return None
        try:
            return datetime.datetime.strptime(value, DATE_FORMAT).date()
        except ValueError:
            raise MalformedPackage(f"{self.path}/{name} must be a date YYYY/MM/DD, not {value!r}.") from None

    def timestamp(self, name: str) -> datetime.datetime:
        value = self.text(name, required=True)
        try:
            naive = datetime.datetime.strptime(value, TIMESTAMP_FORMAT)
        except ValueError:
            raise MalformedPackage(
                f"{self.path}/{name} must be yyyy/MM/dd HH:mm:ss, not {value!r}."
            ) from None
        return naive.replace(tzinfo=VIETNAM)

    def integer(self, name: str, default: int = 0) -> int:
        value = self.text(name)
        if not value:
            return default
        try:
            return int(value)
        except ValueError:
            raise MalformedPackage(f"{self.path}/{name} must be a whole number, not {value!r}.") from None


def _read_organization(r: _Reader) -> Organization:
    return Organization(
        organ_id=r.text("OrganId", required=True),
        organ_name=r.text("OrganName"),
        organization_in_charge=r.text("OrganizationInCharge"),
        organ_add=r.text("OrganAdd"),
        email=r.text("Email"),
        telephone=r.text("Telephone"),
        fax=r.text("Fax"),
        website=r.text("Website"),
    )


def _read_staff(r: _Reader | None) -> StaffInfo:
    if r is None:
        return StaffInfo()
    return StaffInfo(
        department=r.text("Department"), staff=r.text("Staff"), mobile=r.text("Mobile"), email=r.text("Email")
    )


def _read_response_for(r: _Reader) -> ResponseFor:
    date = r.date("PromulgationDate")
    assert date is not None
    return ResponseFor(
        organ_id=r.text("OrganId", required=True),
        code=r.text("Code"),
        promulgation_date=date,
        document_id=r.text("DocumentId", required=True),
    )


def is_status(root: etree._Element) -> bool:
    """Is this tree a status message (a MessageHeader with a StatusCode)?"""
    return (
        root.find(f"{_q('edXMLEnvelope')}/{_q('edXMLHeader')}/{_q('MessageHeader')}/{_q('StatusCode')}")
        is not None
    )


def parse(data: bytes | etree._Element) -> Package | StatusMessage:
    """A package or a status message from its bytes (or an already parsed tree)."""
    root = read_xml(data) if isinstance(data, bytes) else data
    if is_status(root):
        return parse_status(root)
    return parse_package(root)


def parse_status(root: etree._Element) -> StatusMessage:
    message = _Reader(root, "edXML").child("edXMLEnvelope").child("edXMLHeader").child("MessageHeader")
    code = message.text("StatusCode", required=True)
    if code not in StatusCode.values:
        raise MalformedPackage(f"{message.path}/StatusCode {code!r} is not a known status code.")
    return StatusMessage(
        response_for=_read_response_for(message.child("ResponseFor")),
        from_=_read_organization(message.child("From")),
        status_code=StatusCode(code),
        timestamp=message.timestamp("Timestamp"),
        description=message.text("Description"),
        staff_info=_read_staff(message.maybe("StaffInfo")),
    )


def parse_package(root: etree._Element) -> Package:
    top = _Reader(root, "edXML")
    envelope = top.child("edXMLEnvelope")
    header = envelope.child("edXMLHeader")
    m = header.child("MessageHeader")
    tos = [_read_organization(r) for r in m.children("To")]
    if not tos:
        raise MalformedPackage(f"{m.path}/To is missing.")
    code = m.child("Code")
    info = m.child("PromulgationInfo")
    promulgated = info.date("PromulgationDate")
    assert promulgated is not None
    kind = m.child("DocumentType")
    signer = m.maybe("SignerInfo")
    other = m.maybe("OtherInfo")
    places = m.maybe("ToPlaces")
    other_info = OtherInfo()
    if other is not None:
        appendixes = other.maybe("Appendixes")
        other_info = OtherInfo(
            priority=other.integer("Priority"),
            sphere_of_promulgation=other.text("SphereOfPromulgation"),
            typer_notation=other.text("TyperNotation"),
            promulgation_amount=other.integer("PromulgationAmount", 1),
            page_amount=other.integer("PageAmount", 1),
            appendixes=[(a.node.text or "").strip() for a in appendixes.children("Appendix")]
            if appendixes is not None
            else [],
        )
    message = MessageHeader(
        from_=_read_organization(m.child("From")),
        to=tos,
        code=Code(number=code.text("CodeNumber"), notation=code.text("CodeNotation", required=True)),
        promulgation_info=PromulgationInfo(place=info.text("Place"), date=promulgated),
        document_type=DocumentType(
            type=kind.text("Type", required=True),
            type_detail=kind.text("TypeDetail"),
            type_name=kind.text("TypeName"),
        ),
        subject=m.text("Subject", required=True),
        content=m.text("Content"),
        signer_info=SignerInfo(
            competence=signer.text("Competence"),
            position=signer.text("Position"),
            full_name=signer.text("FullName"),
        )
        if signer is not None
        else SignerInfo(),
        due_date=m.date("DueDate", required=False),
        to_places=[(p.node.text or "").strip() for p in places.children("Place")]
        if places is not None
        else [],
        other_info=other_info,
        response_for=[_read_response_for(r) for r in m.children("ResponseFor")],
        steering_type=m.text("SteeringType") or "0",
        document_id=m.text("DocumentId", required=True),
    )
    trace_list = header.child("TraceHeaderList")
    traces = [
        TraceHeader(organ_id=t.text("OrganId", required=True), timestamp=t.timestamp("Timestamp"))
        for t in trace_list.children("TraceHeader")
    ]
    business = Business()
    b = trace_list.maybe("Bussiness")
    if b is not None:
        raw = b.text("BussinessDocType") or "0"
        if raw not in {str(v) for v in BusinessType.values}:
            raise MalformedPackage(f"{b.path}/BussinessDocType must be 0, 1, 2 or 3, not {raw!r}.")
        changed = b.maybe("BussinessDocumentInfo")
        replacements = b.maybe("ReplacementInfoList")
        business = Business(
            doc_type=BusinessType(int(raw)),
            reason=b.text("BussinessDocReason"),
            staff_info=_read_staff(b.maybe("StaffInfo")),
            paper=b.integer("Paper"),
            document_info_changed=changed is not None and changed.integer("DocumentInfo") == 1,
            receivers_changed=changed is not None and changed.integer("DocumentReceiver") == 1,
            replacements=[
                _read_replacement(r)
                for r in (replacements.children("ReplacementInfo") if replacements is not None else [])
            ],
        )
    return Package(
        header=message, traces=traces, business=business, attachments=_read_attachments(top, envelope)
    )


def _read_replacement(r: _Reader) -> Replacement:
    organs = r.maybe("OrganIdList")
    return Replacement(
        document_id=r.text("DocumentId", required=True),
        organ_ids=[(o.node.text or "").strip() for o in organs.children("OrganId")] if organs else [],
    )


def _read_attachments(top: _Reader, envelope: _Reader) -> list[Attachment]:
    encoded: dict[str, _Reader] = {}
    holder = top.maybe("AttachmentEncoded")
    for node in holder.children("Attachment") if holder is not None else []:
        encoded[node.text("ContentId", required=True).removeprefix("cid:")] = node
    attachments = []
    body = envelope.maybe("edXMLBody")
    manifest = body.maybe("edXMLManifest") if body is not None else None
    references = manifest.children("Reference") if manifest is not None else []
    for reference in references:
        href = reference.node.get(f"{{{XLINK}}}href", "")
        cid = (reference.text("ContentId") or href).removeprefix("cid:")
        if not cid:
            raise MalformedPackage(f"{reference.path} has neither xlink:href nor ContentId.")
        if href and href.removeprefix("cid:") != cid:
            raise MalformedPackage(f"{reference.path}: xlink:href {href!r} does not match ContentId {cid!r}.")
        if cid not in encoded:
            raise MalformedPackage(
                f"{reference.path}: no AttachmentEncoded/Attachment with ContentId {cid!r}."
            )
        node = encoded.pop(cid)
        text = "".join(node.text("ContentTransferEncoded").split())
        try:
            data = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            raise MalformedPackage(f"{node.path}/ContentTransferEncoded is not base64.") from None
        attachments.append(
            Attachment(
                name=reference.text("AttachmentName") or node.text("AttachmentName") or cid,
                content_type=reference.text("ContentType")
                or node.text("ContentType")
                or "application/octet-stream",
                data=data,
                content_id=cid,
                description=reference.text("Description") or node.text("Description"),
            )
        )
    if encoded:
        raise MalformedPackage(
            "AttachmentEncoded holds attachments the manifest does not list: "
            + ", ".join(sorted(encoded))[:300]
        )
    return attachments
