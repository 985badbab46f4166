from motcua.catalog.models.procedures import (
    ChannelOption,
    Fee,
    Field,
    FormField,
    Procedure,
    ProcedureVersion,
    ProcessStep,
    RequiredDocument,
)

__all__ = [
    "ChannelOption",
    "Fee",
    "Field",
    "FormField",
    "Procedure",
    "ProcedureVersion",
    "ProcessStep",
    "RequiredDocument",
]
