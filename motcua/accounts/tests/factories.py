import factory

from motcua.accounts.constants import AccountKind
from motcua.accounts.models import User

PASSWORD = "Mat-khau-an-toan-2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"Người dùng {n}")
    kind = AccountKind.CITIZEN
    identity_number = factory.Sequence(lambda n: f"{n:012d}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class StaffFactory(UserFactory):
    kind = AccountKind.STAFF
    identity_number = None
