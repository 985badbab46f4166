from motcua.catalog.models.procedures import (
    Fee,
    Field,
    FormField,
    Procedure,
    ProcedureVersion,
    ProcessStep,
    RequiredDocument,
)

__all__ = ["Fee", "Field", "FormField", "Procedure", "ProcedureVersion", "ProcessStep", "RequiredDocument"]
