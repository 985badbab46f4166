"""The national public-service portal (Cổng Dịch vụ công quốc gia, DVCQG), INTEGRATIONS.md §1.

``client``: the adapter's transport (session login, the ``{session, madonvi, service}`` envelope,
``error_code``); ``mapping``: a dossier as a ``DongBoHoSoMC`` item and its actions as
``CapNhatTienDoHoSoMC`` items; ``sync``: what is sent when, retries, the sync rate; ``standin``: a
local stand-in portal speaking the same shapes (``manage.py national_standin``).
"""
