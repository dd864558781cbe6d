"""What a mobile team's generated client expects of the API, checked against a running server.

The client is generated from openapi.yaml by openapi-python-client (scripts/contract-gate.sh
pins it). It must read a value added to an enum later as a plain value rather than raise,
send an array query parameter in its exploded form and be answered, and clear a field with
the explicit `clear` list. Arguments: the generated package's parent directory, the base URL,
a staff member's token and a volunteer's token.
"""

import datetime
import sys
import uuid

import httpx

parent, base, staff_token, volunteer_token = sys.argv[1:5]
sys.path.insert(0, parent)

from dugnad_client import AuthenticatedClient  # noqa: E402
from dugnad_client.api.me import update_me  # noqa: E402
from dugnad_client.api.tasks import get_task, list_task_events, list_tasks, update_task  # noqa: E402
from dugnad_client.models import (  # noqa: E402
    Event,
    Problem,
    Task,
    TaskPage,
    TaskStatusChoice,
    UpdateMeRequest,
    UpdateMeRequestClearItem,
    UpdateTaskRequest,
    UpdateTaskRequestClearItem,
    User,
)


def check(condition, what):
    if not condition:
        sys.exit(f"[clients] FAILED: {what}")
    print(f"[clients] ok: {what}")


sent = []
def client(token):
    return AuthenticatedClient(
        base_url=base,
        token=token,
        raise_on_unexpected_status=True,
        httpx_args={"event_hooks": {"request": [lambda request: sent.append(str(request.url))]}},
    )


staff, volunteer = client(staff_token), client(volunteer_token)
raw = httpx.Client(base_url=base)
category = raw.get("/api/v1/categories?limit=100").json()["items"][0]["id"]
council = raw.get("/api/v1/councils?limit=100").json()["items"][0]["id"]
start = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=3)
posted = raw.post(
    "/api/v1/tasks",
    headers={"Authorization": f"Bearer {staff_token}"},
    json={
        "title": "Handle til Ruth",
        "description": "Melk, brød og kaffe fra butikken på torget.",
        "category_id": category,
        "council_id": council,
        "starts_at": start.isoformat(),
        "duration_minutes": 60,
        "spots": 2,
        "area_hint": "Torget",
    },
)
check(posted.status_code == 201, f"a task to look at was posted ({posted.status_code})")
task_id = uuid.UUID(posted.json()["id"])

# An array query parameter, as the generator sends it.
page = list_tasks.sync_detailed(
    client=volunteer, status=[TaskStatusChoice.OPEN, TaskStatusChoice.FILLED], limit=100
)
check("status=open&status=filled" in sent[-1], f"the exploded form was sent: {sent[-1]}")
check(page.status_code == 200 and isinstance(page.parsed, TaskPage), "and answered with a page")
check(any(t.id == task_id for t in page.parsed.items), "holding the posted task")

# A populated answer parses into the generated models.
task = get_task.sync_detailed(client=volunteer, id=task_id)
check(isinstance(task.parsed, Task) and task.parsed.status == "open", "GET /tasks/{id} parses")

# Values added later read as values, never an exception.
body = raw.get(f"/api/v1/tasks/{task_id}", headers={"Authorization": f"Bearer {volunteer_token}"}).json()
body["status"] = "paused"
check(Task.from_dict(body).status == "paused", "a task status the client does not know")
problem = raw.post("/api/v1/tasks", headers={"Authorization": f"Bearer {volunteer_token}"}, json={}).json()
problem["code"] = "brand_new_refusal"
check(Problem.from_dict(problem).code == "brand_new_refusal", "a problem code the client does not know")
events = list_task_events.sync_detailed(client=staff, id=task_id)
check(len(events.parsed.items) >= 1, "the task's events parse")
event = events.parsed.items[0].to_dict()
event["kind"] = "moved_to_another_day"
check(Event.from_dict(event).kind == "moved_to_another_day", "an event kind the client does not know")

# Clearing a field without sending null.
me = update_me.sync_detailed(client=volunteer, body=UpdateMeRequest(phone="+47 912 34 567"))
check(isinstance(me.parsed, User) and me.parsed.phone == "+47 912 34 567", "a phone number was set")
me = update_me.sync_detailed(
    client=volunteer, body=UpdateMeRequest(clear=[UpdateMeRequestClearItem.PHONE])
)
check(me.parsed.phone is None, "PATCH /me with clear: [phone] removed it")
edited = update_task.sync_detailed(
    client=staff, id=task_id, body=UpdateTaskRequest(clear=[UpdateTaskRequestClearItem.AREA_HINT])
)
check(isinstance(edited.parsed, Task) and edited.parsed.area_hint is None, "PATCH /tasks/{id} with clear: [area_hint]")
print("[clients] the generated Python client's expectations hold")
