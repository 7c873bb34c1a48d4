# FastAPI with UserHarbor: examples/fastapi/run.sh starts it with Uvicorn (PORT, USERHARBOR_URL,
# USERHARBOR_API_KEY, TRUSTED_PROXIES). test/integrations/ runs it against a real server.
import os
from typing import Annotated

from fastapi import Depends, FastAPI
from userharbor.fastapi import AuthenticatedUser, UserHarbor

# uvicorn app:app --proxy-headers --forwarded-allow-ips "$TRUSTED_PROXIES"  # your proxies only
uh = UserHarbor(url=os.environ.get("USERHARBOR_URL"), api_key=os.environ.get("USERHARBOR_API_KEY"))
app = FastAPI()
uh.install(app)  # refusals and UserHarbor's errors as problem+json
app.include_router(uh.auth_router())  # POST /login, POST /logout
User = Annotated[AuthenticatedUser, Depends(uh.require_user)]
StrictUser = Annotated[AuthenticatedUser, Depends(uh.require_user.strict)]


@app.get("/me")
def me(user: User) -> dict[str, str]:
    return {"id": user.account_id, "username": user.username}


@app.get("/me/strict")
def me_strict(user: StrictUser) -> dict[str, str]:
    return {"id": user.account_id, "username": user.username}
