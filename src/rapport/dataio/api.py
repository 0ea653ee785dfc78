from ninja import Router

router = Router()

# --- exports ---
from .export_api import router as export_router  # noqa: E402

router.add_router("", export_router)

# --- imports ---
from .import_api import router as import_router  # noqa: E402

router.add_router("", import_router)
