"""The edXML package: a package written by hand from the standard's field list parses; what we build
parses back to what went in and validates against the schema; malformed packages are named."""

import datetime

import pytest

from motcua.exchange import edxml, schema
from motcua.exchange.constants import BusinessType, StatusCode
from motcua.exchange.tests import factories

# Written by hand from QCVN 102:2016's field list (INTEGRATIONS.md §4), the way other systems write it:
# the edXML: prefix on the envelope, attachments outside the envelope, no signature.
HAND_WRITTEN = """<?xml version="1.0" encoding="UTF-8"?>
<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <edXML:edXMLEnvelope xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016">
    <edXML:edXMLHeader>
      <edXML:MessageHeader>
        <edXML:From>
          <edXML:OrganId>000.00.00.G22</edXML:OrganId>
          <edXML:OrganizationInCharge>Chính phủ</edXML:OrganizationInCharge>
          <edXML:OrganName>Bộ Thông tin và Truyền thông</edXML:OrganName>
          <edXML:OrganAdd>18 Nguyễn Du, Hà Nội</edXML:OrganAdd>
          <edXML:Email>vanthu@mic.gov.vn</edXML:Email>
          <edXML:Telephone>0243 9436 008</edXML:Telephone>
          <edXML:Fax/>
          <edXML:Website>mic.gov.vn</edXML:Website>
        </edXML:From>
        <edXML:To>
          <edXML:OrganId>000.00.00.H29</edXML:OrganId>
          <edXML:OrganName>Ủy ban nhân dân tỉnh Hưng Yên</edXML:OrganName>
        </edXML:To>
        <edXML:To>
          <edXML:OrganId>000.00.00.H26</edXML:OrganId>
          <edXML:OrganName>Ủy ban nhân dân tỉnh Hà Tĩnh</edXML:OrganName>
        </edXML:To>
        <edXML:Code>
          <edXML:CodeNumber>1234</edXML:CodeNumber>
          <edXML:CodeNotation>BTTTT-CĐSQG</edXML:CodeNotation>
        </edXML:Code>
        <edXML:PromulgationInfo>
          <edXML:Place>Hà Nội</edXML:Place>
          <edXML:PromulgationDate>2026/03/05</edXML:PromulgationDate>
        </edXML:PromulgationInfo>
        <edXML:DocumentType>
          <edXML:Type>2</edXML:Type>
          <edXML:TypeDetail>CV</edXML:TypeDetail>
          <edXML:TypeName>Công văn</edXML:TypeName>
        </edXML:DocumentType>
        <edXML:Subject>V/v hướng dẫn kết nối trục liên thông văn bản quốc gia</edXML:Subject>
        <edXML:Content>Đề nghị các tỉnh hoàn thành kết nối trước ngày 31/3.</edXML:Content>
        <edXML:SignerInfo>
          <edXML:Competence>KT. BỘ TRƯỞNG</edXML:Competence>
          <edXML:Position>THỨ TRƯỞNG</edXML:Position>
          <edXML:FullName>Trần Văn Bình</edXML:FullName>
        </edXML:SignerInfo>
        <edXML:DueDate>2026/03/31</edXML:DueDate>
        <edXML:ToPlaces>
          <edXML:Place>Như trên</edXML:Place>
          <edXML:Place>Lưu: VT, CĐSQG</edXML:Place>
        </edXML:ToPlaces>
        <edXML:OtherInfo>
          <edXML:Priority>1</edXML:Priority>
          <edXML:SphereOfPromulgation>Liên thông văn bản</edXML:SphereOfPromulgation>
          <edXML:TyperNotation>TVB</edXML:TyperNotation>
          <edXML:PromulgationAmount>65</edXML:PromulgationAmount>
          <edXML:PageAmount>2</edXML:PageAmount>
          <edXML:Appendixes>
            <edXML:Appendix>Phụ lục I: danh sách đầu mối</edXML:Appendix>
          </edXML:Appendixes>
        </edXML:OtherInfo>
        <edXML:ResponseFor>
          <edXML:OrganId>000.00.00.H29</edXML:OrganId>
          <edXML:Code>88/UBND-KGVX</edXML:Code>
          <edXML:PromulgationDate>2026/02/20</edXML:PromulgationDate>
          <edXML:DocumentId>000.00.00.H29,2026/02/20,88/UBND-KGVX</edXML:DocumentId>
        </edXML:ResponseFor>
        <edXML:SteeringType>1</edXML:SteeringType>
        <edXML:DocumentId>000.00.00.G22,2026/03/05,1234/BTTTT-CĐSQG</edXML:DocumentId>
      </edXML:MessageHeader>
      <edXML:TraceHeaderList>
        <edXML:TraceHeader>
          <edXML:OrganId>000.00.00.G22</edXML:OrganId>
          <edXML:Timestamp>2026/03/05 14:05:09</edXML:Timestamp>
        </edXML:TraceHeader>
        <edXML:Bussiness>
          <edXML:BussinessDocType>0</edXML:BussinessDocType>
          <edXML:BussinessDocReason>Văn bản mới</edXML:BussinessDocReason>
          <edXML:StaffInfo>
            <edXML:Department>Văn phòng</edXML:Department>
            <edXML:Staff>Lê Thị Cúc</edXML:Staff>
            <edXML:Mobile>0912345678</edXML:Mobile>
            <edXML:Email>cuclt@mic.gov.vn</edXML:Email>
          </edXML:StaffInfo>
          <edXML:Paper>0</edXML:Paper>
        </edXML:Bussiness>
      </edXML:TraceHeaderList>
    </edXML:edXMLHeader>
    <edXML:edXMLBody>
      <edXML:edXMLManifest version="1.0">
        <edXML:Reference xmlns:xlink="http://www.w3.org/1999/xlink" xlink:href="cid:f1a2" xlink:type="simple">
          <edXML:ContentId>f1a2</edXML:ContentId>
          <edXML:ContentType>application/pdf</edXML:ContentType>
          <edXML:AttachmentName>1234-BTTTT.pdf</edXML:AttachmentName>
          <edXML:Description>Văn bản</edXML:Description>
        </edXML:Reference>
      </edXML:edXMLManifest>
    </edXML:edXMLBody>
  </edXML:edXMLEnvelope>
  <AttachmentEncoded>
    <Attachment>
      <ContentType>application/pdf</ContentType>
      <ContentId>f1a2</ContentId>
      <Description>Văn bản</Description>
      <ContentTransferEncoded>JVBERi0xLjcKJSBoYW5kIHdyaXR0ZW4K</ContentTransferEncoded>
      <AttachmentName>1234-BTTTT.pdf</AttachmentName>
    </Attachment>
  </AttachmentEncoded>
</edXML>
""".encode()


def test_a_package_written_by_hand_from_the_field_list_parses_and_validates():
    root = edxml.read_xml(HAND_WRITTEN)
    schema.validate(root)
    pkg = edxml.parse(root)
    assert isinstance(pkg, edxml.Package)
    h = pkg.header
    assert h.from_.organ_id == "000.00.00.G22"
    assert h.from_.organ_name == "Bộ Thông tin và Truyền thông"
    assert [t.organ_id for t in h.to] == ["000.00.00.H29", "000.00.00.H26"]
    assert str(h.code) == "1234/BTTTT-CĐSQG"
    assert h.promulgation_info == edxml.PromulgationInfo("Hà Nội", datetime.date(2026, 3, 5))
    assert h.document_type.type_name == "Công văn"
    assert h.subject.startswith("V/v hướng dẫn kết nối")
    assert h.signer_info.full_name == "Trần Văn Bình"
    assert h.due_date == datetime.date(2026, 3, 31)
    assert h.to_places == ["Như trên", "Lưu: VT, CĐSQG"]
    assert h.other_info.priority == 1
    assert h.other_info.promulgation_amount == 65
    assert h.other_info.appendixes == ["Phụ lục I: danh sách đầu mối"]
    assert h.response_for[0].document_id == "000.00.00.H29,2026/02/20,88/UBND-KGVX"
    assert h.steering_type == "1"
    assert h.document_id == "000.00.00.G22,2026/03/05,1234/BTTTT-CĐSQG"
    assert pkg.traces[0].timestamp == datetime.datetime(2026, 3, 5, 14, 5, 9, tzinfo=edxml.VIETNAM)
    assert pkg.business.doc_type == BusinessType.NEW
    assert pkg.business.staff_info.staff == "Lê Thị Cúc"
    assert [(a.name, a.content_type, a.data) for a in pkg.attachments] == [
        ("1234-BTTTT.pdf", "application/pdf", b"%PDF-1.7\n% hand written\n")
    ]


def test_what_we_build_parses_back_and_validates():
    original = factories.package(attachment=b"\x00\x01binary" * 50, business=3)
    root = edxml.build_package(original)
    data = edxml.serialize(root)
    assert data.startswith(b"<?xml")
    schema.validate(edxml.read_xml(data))
    back = edxml.parse(data)
    assert back.header == original.header
    assert back.traces == original.traces
    assert back.business == original.business
    assert back.attachments == original.attachments


@pytest.mark.parametrize("business", [BusinessType.UPDATE, BusinessType.REPLACE])
def test_an_update_and_a_replacement_carry_what_they_change(business):
    """An update says its details changed (BussinessDocumentInfo); a replacement names what it replaces
    (ReplacementInfoList); both validate and read back."""
    original = factories.package(business=business)
    original.business.reason = "Sai trích yếu"
    if business == BusinessType.REPLACE:
        original.business.replacements = [
            edxml.Replacement("000.00.00.H02,2026/03/10,12/UBND-VP", ["000.00.00.H01"]),
            edxml.Replacement("000.00.00.H02,2026/03/11,13/UBND-VP"),
        ]
    else:
        original.business.document_info_changed = True
    data = edxml.serialize(edxml.build_package(original))
    schema.validate(edxml.read_xml(data))
    assert edxml.parse(data).business == original.business
    if business == BusinessType.REPLACE:
        broken = data.replace(b"<DocumentId>000.00.00.H02,2026/03/10,12/UBND-VP</DocumentId>", b"")
        with pytest.raises(edxml.MalformedPackage, match="ReplacementInfo"):
            schema.validate(edxml.read_xml(broken))


def test_a_status_message_round_trips():
    status = edxml.StatusMessage(
        response_for=edxml.ResponseFor(
            "000.00.00.H02", "15/UBND-VP", datetime.date(2026, 3, 12), "X,2026/03/12,15/UBND-VP"
        ),
        from_=edxml.Organization("000.00.00.H01", "Ủy ban nhân dân tỉnh Thử Nghiệm"),
        status_code=StatusCode.ASSIGNED,
        timestamp=datetime.datetime(2026, 3, 13, 8, 0, 5, tzinfo=edxml.VIETNAM),
        description="Đã phân công phòng Kinh tế xử lý",
        staff_info=edxml.StaffInfo(department="Văn phòng", staff="Lê Văn Thư"),
    )
    data = edxml.serialize(edxml.build_status(status))
    assert b"<StatusCode>04</StatusCode>" in data
    assert b"<Timestamp>2026/03/13 08:00:05</Timestamp>" in data
    schema.validate(edxml.read_xml(data))
    assert edxml.parse(data) == status


def test_timestamps_are_written_in_vietnam_time():
    utc = datetime.datetime(2026, 3, 12, 23, 30, tzinfo=datetime.UTC)
    assert edxml.format_timestamp(utc) == "2026/03/13 06:30:00"
    assert edxml.format_date(datetime.date(2026, 1, 2)) == "2026/01/02"


@pytest.mark.parametrize(
    ("old", "new", "named"),
    [
        (b"edXML:Subject>", b"edXML:Topic>", "MessageHeader/Subject"),
        (b"2026/03/05</edXML:PromulgationDate>", b"05/03/2026</edXML:PromulgationDate>", "PromulgationDate"),
        (b"<edXML:BussinessDocType>0<", b"<edXML:BussinessDocType>7<", "BussinessDocType"),
        (b'xlink:href="cid:f1a2"', b'xlink:href="cid:other"', "xlink:href"),
        (
            b"<edXML:OrganId>000.00.00.G22</edXML:OrganId>\n          <edXML:OrganizationInCharge>",
            b"<edXML:OrganizationInCharge>",
            "From/OrganId",
        ),
    ],
)
def test_a_malformed_package_is_refused_naming_the_field(old, new, named):
    assert old in HAND_WRITTEN
    with pytest.raises(edxml.MalformedPackage, match=named.replace("/", ".*")):
        edxml.parse(HAND_WRITTEN.replace(old, new))


def test_the_schema_names_what_the_parser_would_accept_but_the_standard_does_not():
    broken = HAND_WRITTEN.replace(b"<edXML:Priority>1<", b"<edXML:Priority>urgent<", 1)
    with pytest.raises(edxml.MalformedPackage, match="Priority"):
        schema.validate(edxml.read_xml(broken))


@pytest.mark.parametrize(
    "data",
    [
        b"not xml at all",
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016"/>',
        b'<edXML xmlns="urn:other"/>',
    ],
)
def test_not_edxml_is_refused(data):
    with pytest.raises(edxml.MalformedPackage):
        edxml.read_xml(data)
