"""The relation endpoints over HTTP, through the whole sequence, on memory and on SQLite.

examples/todo's models (TodoList.todos hasMany, Todo.todoList belongsTo) and a
small manifest for the other kinds: User.profile (hasOne, a unique foreign
key), User.accounts (referencesMany) and Doctor.patients (hasManyThrough
Appointment). Every endpoint and status code, the 404 of a missing source,
the foreign key a body may not change, navigational properties (422), the
route table and the OpenAPI document.
"""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import aiohttp
import orjson
import pytest
from openapi_spec_validator import validate

from composer.boot import boot, check
from composer.rest.openapi import openapi_document
from composer.rest.routes import route_table

TODO = Path(__file__).resolve().parents[3] / "examples" / "todo"

RELATIONS = """\
models:
  User:
    datasource: db
    properties:
      id: {type: integer, id: true, generated: true}
      name: {type: string, required: true}
      accountIds: {type: array, items: {type: integer}}
    relations:
      profile: {type: hasOne, model: Profile, foreignKey: userId}
      accounts: {type: referencesMany, model: Account, foreignKey: accountIds}
  Profile:
    datasource: db
    properties:
      id: {type: integer, id: true, generated: true}
      bio: {type: string, required: true}
      userId: {type: integer}
    indexes:
      profileUser: {properties: [userId], unique: true}
  Account:
    datasource: db
    properties:
      id: {type: integer, id: true, generated: true}
      label: {type: string, required: true}
  Doctor:
    datasource: db
    properties:
      id: {type: integer, id: true, generated: true}
      name: {type: string, required: true}
    relations:
      patients:
        type: hasMany
        model: Patient
        through: {model: Appointment, keyFrom: doctorId, keyTo: patientId}
  Patient:
    datasource: db
    properties:
      id: {type: integer, id: true, generated: true}
      name: {type: string, required: true}
  Appointment:
    datasource: db
    rest: {readonly: true}
    properties:
      id: {type: integer, id: true, generated: true}
      doctorId: {type: integer, required: true}
      patientId: {type: integer, required: true}
  Nurse:
    datasource: db
    properties:
      id: {type: integer, id: true, generated: true}
    relations:
      patients:
        type: hasMany
        model: Patient
        through: {model: Shift, keyFrom: nurseId, keyTo: patientId}
  Shift:
    datasource: db
    rest: false
    properties:
      id: {type: integer, id: true, generated: true}
      nurseId: {type: integer, required: true}
      patientId: {type: integer, required: true}
      ward: {type: string, required: true}
"""

BODY_INVALID = "The request body is invalid. See error object `details` property for more info."


def project(root: Path, datasource: str, relations: str = RELATIONS) -> Path:
    """A project of examples/todo's models and ``relations``, on ``datasource``."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "composer.yaml").write_text("apiVersion: composer/v1\nname: relations\n")
    shutil.copytree(TODO / "models", root / "models")
    (root / "models" / "relations.yaml").write_text(relations)
    (root / "datasources").mkdir()
    (root / "datasources" / "db.yaml").write_text(f"datasources:\n  db: {datasource}\n")
    return root


def error(status: int, name: str, message: str, **extra: Any) -> dict[str, Any]:
    """LoopBack's error body."""
    return {"error": {"statusCode": status, "name": name, "message": message, **extra}}


def entity_not_found(message: str) -> dict[str, Any]:
    return error(404, "Error", message, code="ENTITY_NOT_FOUND")


def navigational(name: str) -> dict[str, Any]:
    """The 422 of a body holding the relation ``name``."""
    detail = {
        "path": "",
        "code": "additionalProperties",
        "message": "must NOT have additional properties",
        "info": {"additionalProperty": name},
    }
    return error(
        422, "UnprocessableEntityError", BODY_INVALID, code="VALIDATION_FAILED", details=[detail]
    )


CHANGED = error(400, "BadRequestError", 'Property "todoListId" cannot be changed!')


def q(value: Any) -> str:
    """A JSON query parameter value, URL-encoded."""
    return quote(orjson.dumps(value).decode())


class Api:
    """HTTP calls to a started App: each answers (status, decoded body or None)."""

    def __init__(self, session: aiohttp.ClientSession, url: str) -> None:
        self.session = session
        self.url = url

    async def call(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        data = None if body is None else orjson.dumps(body)
        headers = {} if data is None else {"Content-Type": "application/json"}
        async with self.session.request(
            method, self.url + path, data=data, headers=headers
        ) as response:
            text = await response.read()
            return response.status, orjson.loads(text) if text else None

    async def get(self, path: str) -> tuple[int, Any]:
        return await self.call("GET", path)

    async def post(self, path: str, body: Any = None) -> tuple[int, Any]:
        return await self.call("POST", path, body)

    async def patch(self, path: str, body: Any = None) -> tuple[int, Any]:
        return await self.call("PATCH", path, body)

    async def put(self, path: str, body: Any = None) -> tuple[int, Any]:
        return await self.call("PUT", path, body)

    async def delete(self, path: str) -> tuple[int, Any]:
        return await self.call("DELETE", path)

    async def created(self, path: str, body: Any) -> dict[str, Any]:
        status, answer = await self.post(path, body)
        assert status == 200, answer
        assert isinstance(answer, dict)
        return answer


DATASOURCES = {
    "memory": "{connector: memory}",
    "sqlite": "{connector: sql, url: 'sqlite:///relations.db'}",
}


@pytest.fixture(params=sorted(DATASOURCES))
async def api(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Api]:
    """The project served on each datasource in turn: lists 1 (home) and 2 (work), the
    todos milk (1) and eggs (2) on list 1, tea (3) on list 2."""
    root = project(tmp_path / "project", DATASOURCES[request.param])
    app = boot(root, data_dir=tmp_path / "data")
    await app.start(port=0)
    assert app.url is not None
    try:
        async with aiohttp.ClientSession() as session:
            client = Api(session, app.url)
            for title in ("home", "work"):
                await client.created("/todo-lists", {"title": title})
            for title, list_id in (("milk", 1), ("eggs", 1), ("tea", 2)):
                await client.created("/todos", {"title": title, "todoListId": list_id})
            yield client
    finally:
        await app.stop()


def titles(rows: list[dict[str, Any]]) -> list[str]:
    return [row["title"] if "title" in row else row["name"] for row in rows]


# -- hasMany -----------------------------------------------------------------------------


async def test_has_many_find_answers_the_source_s_targets_with_the_filter(api: Api) -> None:
    status, rows = await api.get("/todo-lists/1/todos")
    assert (status, rows) == (
        200,
        [{"id": 1, "title": "milk", "todoListId": 1}, {"id": 2, "title": "eggs", "todoListId": 1}],
    )
    status, rows = await api.get(
        "/todo-lists/1/todos?filter[order]=title&filter[fields][title]=true&filter[limit]=1"
    )
    assert (status, rows) == (200, [{"title": "eggs"}])
    status, rows = await api.get(f"/todo-lists/1/todos?filter={q({'where': {'title': 'tea'}})}")
    assert (status, rows) == (200, [])
    include = q({"where": {"title": "milk"}, "include": ["todoList"]})
    status, rows = await api.get(f"/todo-lists/1/todos?filter={include}")
    assert (status, rows) == (
        200,
        [{"id": 1, "title": "milk", "todoListId": 1, "todoList": {"id": 1, "title": "home"}}],
    )


async def test_every_endpoint_answers_404_for_a_missing_source(api: Api) -> None:
    missing = entity_not_found("Entity not found: TodoList with id 9")
    assert await api.get("/todo-lists/9/todos") == (404, missing)
    assert await api.post("/todo-lists/9/todos", {"title": "x"}) == (404, missing)
    assert await api.patch("/todo-lists/9/todos", {"desc": "x"}) == (404, missing)
    assert await api.delete("/todo-lists/9/todos") == (404, missing)
    assert await api.get("/todos/9/todo-list") == (
        404,
        entity_not_found("Entity not found: Todo with id 9"),
    )
    assert await api.get("/users/9/profile") == (
        404,
        entity_not_found("Entity not found: User with id 9"),
    )
    assert await api.get("/users/9/accounts") == (
        404,
        entity_not_found("Entity not found: User with id 9"),
    )
    doctor = entity_not_found("Entity not found: Doctor with id 9")
    assert await api.get("/doctors/9/patients") == (404, doctor)
    assert await api.put("/doctors/9/patients/link/1") == (404, doctor)
    assert await api.delete("/doctors/9/patients/link/1") == (404, doctor)


async def test_a_bad_source_id_or_filter_is_400(api: Api) -> None:
    status, body = await api.get("/todo-lists/abc/todos")
    assert (status, body["error"]["code"]) == (400, "INVALID_PARAMETER_VALUE")
    status, body = await api.get("/todo-lists/1/todos?filter[where][nope]=1")
    assert (status, body["error"]["statusCode"]) == (400, 400)
    status, body = await api.get(f"/todo-lists/1/todos?filter={q({'include': ['todos']})}")
    assert (status, body["error"]["code"]) == (400, "INVALID_INCLUSION_FILTER")


async def test_has_many_create_sets_the_foreign_key_from_the_path(api: Api) -> None:
    assert await api.post("/todo-lists/2/todos", {"title": "bread"}) == (
        200,
        {"id": 4, "title": "bread", "todoListId": 2},
    )
    assert await api.post("/todo-lists/2/todos", {"title": "jam", "todoListId": 2}) == (
        200,
        {"id": 5, "title": "jam", "todoListId": 2},
    )
    assert await api.get("/todo-lists/2/todos?filter[fields][title]=true") == (
        200,
        [{"title": "tea"}, {"title": "bread"}, {"title": "jam"}],
    )


async def test_has_many_create_refuses_another_foreign_key_after_validating_the_body(
    api: Api,
) -> None:
    assert await api.post("/todo-lists/1/todos", {"title": "x", "todoListId": 2}) == (
        400,
        CHANGED,
    )
    status, body = await api.post("/todo-lists/1/todos", {"title": "", "todoListId": 2})
    assert (status, [d["path"] for d in body["error"]["details"]]) == (422, ["/title"])
    status, body = await api.post("/todo-lists/1/todos")
    assert (status, body["error"]["details"][0]["message"]) == (
        422,
        "must have required property 'title'",
    )
    assert await api.get("/todos/count") == (200, {"count": 3})


async def test_navigational_properties_are_422_on_crud_and_relation_endpoints(
    api: Api,
) -> None:
    assert await api.post("/todo-lists", {"title": "x", "todos": []}) == (
        422,
        navigational("todos"),
    )
    assert await api.post("/todos", {"title": "x", "todoListId": 1, "todoList": {}}) == (
        422,
        navigational("todoList"),
    )
    assert await api.patch("/todo-lists/1", {"todos": []}) == (422, navigational("todos"))
    assert await api.post("/todo-lists/1/todos", {"title": "x", "todoList": {}}) == (
        422,
        navigational("todoList"),
    )
    assert await api.patch("/todo-lists/1/todos", {"todoList": {}}) == (
        422,
        navigational("todoList"),
    )


async def test_has_many_patch_changes_the_source_s_matching_targets(api: Api) -> None:
    assert await api.patch("/todo-lists/1/todos?where[title]=milk", {"desc": "oat"}) == (
        200,
        {"count": 1},
    )
    assert await api.patch("/todo-lists/1/todos", {"isComplete": True}) == (200, {"count": 2})
    assert await api.patch("/todo-lists/1/todos", {"todoListId": 1}) == (200, {"count": 2})
    assert await api.patch("/todo-lists/1/todos") == (200, {"count": 2})
    assert await api.get("/todos?filter[where][isComplete]=true&filter[fields][title]=true") == (
        200,
        [{"title": "milk"}, {"title": "eggs"}],
    )
    assert await api.get("/todos/1") == (
        200,
        {"id": 1, "title": "milk", "desc": "oat", "isComplete": True, "todoListId": 1},
    )


async def test_has_many_patch_refuses_a_foreign_key_change_and_an_invalid_body(
    api: Api,
) -> None:
    assert await api.patch("/todo-lists/1/todos", {"todoListId": 2}) == (400, CHANGED)
    status, body = await api.patch("/todo-lists/1/todos", {"title": 5})
    assert (status, body["error"]["code"]) == (422, "VALIDATION_FAILED")
    status, body = await api.patch("/todo-lists/1/todos", {"id": 7})
    assert (status, body["error"]["message"]) == (400, "id property (id) cannot be updated")
    assert await api.get("/todo-lists/2/todos?filter[fields][title]=true") == (
        200,
        [{"title": "tea"}],
    )


async def test_has_many_delete_deletes_the_source_s_matching_targets(api: Api) -> None:
    assert await api.delete(f"/todo-lists/1/todos?where={q({'title': 'milk'})}") == (
        200,
        {"count": 1},
    )
    assert await api.delete("/todo-lists/1/todos") == (200, {"count": 1})
    assert await api.delete("/todo-lists/1/todos") == (200, {"count": 0})
    assert await api.get("/todos?filter[fields][title]=true") == (200, [{"title": "tea"}])


# -- belongsTo ---------------------------------------------------------------------------


async def test_belongs_to_answers_the_target_or_loopback_s_404_for_an_orphan(
    api: Api,
) -> None:
    assert await api.get("/todos/3/todo-list") == (200, {"id": 2, "title": "work"})
    await api.created("/todos", {"title": "orphan", "todoListId": 99})
    assert await api.get("/todos/4/todo-list") == (
        404,
        entity_not_found('Entity not found: TodoList with id "constraint {\\"id\\":99}"'),
    )


# -- hasOne ------------------------------------------------------------------------------


async def test_has_one_creates_reads_patches_and_deletes_the_source_s_target(api: Api) -> None:
    await api.created("/users", {"name": "ann"})
    assert await api.get("/users/1/profile") == (
        404,
        entity_not_found('Entity not found: Profile with id "constraint {\\"userId\\":1}"'),
    )
    assert await api.post("/users/1/profile", {"bio": "hi"}) == (
        200,
        {"id": 1, "bio": "hi", "userId": 1},
    )
    status, body = await api.post("/users/1/profile", {"bio": "again"})
    assert (status, body["error"]["code"]) == (409, "CONFLICT")
    assert await api.get("/users/1/profile") == (200, {"id": 1, "bio": "hi", "userId": 1})
    assert await api.get("/users/1/profile?filter[fields][bio]=true") == (200, {"bio": "hi"})
    assert await api.get("/users/1/profile?filter[where][bio]=no") == (
        404,
        entity_not_found('Entity not found: Profile with id "constraint {\\"userId\\":1}"'),
    )
    assert await api.patch("/users/1/profile", {"bio": "hello"}) == (200, {"count": 1})
    assert await api.patch("/users/1/profile?where[bio]=no", {"bio": "x"}) == (
        200,
        {"count": 0},
    )
    assert await api.patch("/users/1/profile", {"userId": 2}) == (
        400,
        error(400, "BadRequestError", 'Property "userId" cannot be changed!'),
    )
    assert await api.post("/users/1/profile", {"bio": "x", "userId": 2}) == (
        400,
        error(400, "BadRequestError", 'Property "userId" cannot be changed!'),
    )
    assert await api.get("/profiles") == (200, [{"id": 1, "bio": "hello", "userId": 1}])
    assert await api.delete("/users/1/profile") == (200, {"count": 1})
    assert await api.delete("/users/1/profile") == (200, {"count": 0})
    assert await api.post("/users/1/profile", {"bio": "new"}) == (
        200,
        {"id": 2, "bio": "new", "userId": 1},
    )


# -- referencesMany ----------------------------------------------------------------------


async def test_references_many_answers_the_targets_in_the_array_s_order(api: Api) -> None:
    for label in ("a", "b", "c"):
        await api.created("/accounts", {"label": label})
    await api.created("/users", {"name": "ann", "accountIds": [3, 99, 1, 3]})
    await api.created("/users", {"name": "bob"})
    labels = ["c", "a"]
    status, rows = await api.get("/users/1/accounts")
    assert (status, [row["label"] for row in rows]) == (200, labels)
    assert await api.get("/users/1/accounts?filter[order]=label") == (
        200,
        [{"id": 1, "label": "a"}, {"id": 3, "label": "c"}],
    )
    assert await api.get("/users/1/accounts?filter[skip]=1&filter[fields][label]=true") == (
        200,
        [{"label": "a"}],
    )
    assert await api.get("/users/1/accounts?filter[where][label]=a") == (
        200,
        [{"id": 1, "label": "a"}],
    )
    assert await api.get("/users/2/accounts") == (200, [])
    status, body = await api.post("/users/1/accounts", {"label": "x"})
    assert (status, body["error"]["message"]) == (
        404,
        'Endpoint "POST /users/1/accounts" not found.',
    )


# -- hasManyThrough -----------------------------------------------------------------------


async def test_has_many_through_creates_finds_and_links_targets(api: Api) -> None:
    await api.created("/doctors", {"name": "who"})
    await api.created("/doctors", {"name": "house"})
    assert await api.post("/doctors/1/patients", {"name": "amy"}) == (
        200,
        {"id": 1, "name": "amy"},
    )
    await api.created("/doctors/1/patients", {"name": "rory"})
    await api.created("/patients", {"name": "clara"})
    assert await api.get(
        "/appointments?filter[fields][doctorId]=true&filter[fields][patientId]=true"
    ) == (
        200,
        [{"doctorId": 1, "patientId": 1}, {"doctorId": 1, "patientId": 2}],
    )
    assert await api.put("/doctors/2/patients/link/3") == (204, None)
    assert await api.put("/doctors/2/patients/link/3") == (204, None)
    assert await api.put("/doctors/2/patients/link/1") == (204, None)
    assert await api.get("/appointments/count?where[doctorId]=2") == (200, {"count": 2})
    status, rows = await api.get("/doctors/2/patients?filter[order]=name%20DESC")
    assert (status, titles(rows)) == (200, ["clara", "amy"])
    status, rows = await api.get("/doctors/1/patients?filter[where][name]=rory")
    assert (status, titles(rows)) == (200, ["rory"])
    assert await api.put("/doctors/2/patients/link/99") == (
        404,
        entity_not_found("Entity not found: Patient with id 99"),
    )
    status, body = await api.post("/doctors/1/patients", {"name": 5})
    assert (status, body["error"]["code"]) == (422, "VALIDATION_FAILED")
    assert await api.get("/patients/count") == (200, {"count": 3})


async def test_has_many_through_unlink_deletes_the_link_or_answers_404(api: Api) -> None:
    await api.created("/doctors", {"name": "who"})
    await api.created("/doctors/1/patients", {"name": "amy"})
    await api.created("/patients", {"name": "clara"})
    assert await api.delete("/doctors/1/patients/link/1") == (204, None)
    assert await api.get("/doctors/1/patients") == (200, [])
    assert await api.get("/patients/count") == (200, {"count": 2})
    not_linked = (
        'Entity not found: Appointment with id "constraint {\\"doctorId\\":1,\\"patientId\\":2}"'
    )
    assert await api.delete("/doctors/1/patients/link/2") == (404, entity_not_found(not_linked))
    assert await api.delete("/doctors/1/patients/link/99") == (
        404,
        entity_not_found("Entity not found: Patient with id 99"),
    )


async def test_has_many_through_patch_and_delete_act_on_linked_targets_only(api: Api) -> None:
    await api.created("/doctors", {"name": "who"})
    await api.created("/doctors", {"name": "house"})
    for name in ("amy", "rory"):
        await api.created("/doctors/1/patients", {"name": name})
    await api.created("/doctors/2/patients", {"name": "clara"})
    assert await api.put("/doctors/2/patients/link/1") == (204, None)
    assert await api.patch("/doctors/1/patients?where[name]=amy", {"name": "pond"}) == (
        200,
        {"count": 1},
    )
    assert await api.patch("/doctors/1/patients", {"id": 9}) == (
        400,
        error(400, "BadRequestError", 'Property "id" cannot be changed!'),
    )
    status, rows = await api.get("/patients?filter[fields][name]=true")
    assert (status, titles(rows)) == (200, ["pond", "rory", "clara"])
    assert await api.delete("/doctors/1/patients?where[name]=pond") == (200, {"count": 1})
    # the deleted patient's links go with it, the other doctor's too
    assert await api.get(
        "/appointments?filter[fields][doctorId]=true&filter[fields][patientId]=true"
    ) == (
        200,
        [{"doctorId": 1, "patientId": 2}, {"doctorId": 2, "patientId": 3}],
    )
    assert await api.delete("/doctors/1/patients") == (200, {"count": 1})
    assert await api.get("/doctors/2/patients?filter[fields][name]=true") == (
        200,
        [{"name": "clara"}],
    )
    assert await api.delete("/doctors/1/patients") == (200, {"count": 0})
    assert await api.patch("/doctors/1/patients", {"name": "x"}) == (200, {"count": 0})


async def test_a_target_whose_link_cannot_be_created_is_deleted_again(api: Api) -> None:
    await api.created("/nurses", {})
    status, body = await api.post("/nurses/1/patients", {"name": "amy"})
    assert (status, body["error"]["details"][0]["info"]) == (422, {"missingProperty": "ward"})
    assert await api.get("/patients/count") == (200, {"count": 0})
    assert await api.get("/nurses/1/patients") == (200, [])


KEY_FROM = """\
models:
  Team:
    datasource: db
    properties:
      id: {type: integer, id: true, generated: true}
      code: {type: string}
    relations:
      members: {type: hasMany, model: Member, keyFrom: code, foreignKey: teamCode}
  Member:
    datasource: db
    properties:
      id: {type: integer, id: true, generated: true}
      teamCode: {type: string}
"""


async def test_a_source_without_the_key_its_targets_refer_to_has_none_and_gets_none(
    tmp_path: Path,
) -> None:
    app = boot(project(tmp_path / "project", DATASOURCES["memory"], KEY_FROM), data_dir=tmp_path)
    await app.start(port=0)
    assert app.url is not None
    try:
        async with aiohttp.ClientSession() as session:
            api = Api(session, app.url)
            await api.created("/teams", {"code": "red"})
            await api.created("/teams", {})
            await api.created("/members", {"teamCode": "red"})
            await api.created("/members", {})
            assert await api.get("/teams/1/members") == (200, [{"id": 1, "teamCode": "red"}])
            assert await api.post("/teams/1/members", {}) == (200, {"id": 3, "teamCode": "red"})
            assert await api.get("/teams/2/members") == (200, [])
            assert await api.post("/teams/2/members", {}) == (
                409,
                error(
                    409,
                    "ConflictError",
                    "The Team with id 2 has no code for its members to refer to",
                ),
            )
            assert await api.patch("/teams/2/members", {}) == (200, {"count": 0})
            assert await api.delete("/teams/2/members") == (200, {"count": 0})
            assert await api.get("/members/count") == (200, {"count": 3})
    finally:
        await app.stop()


# -- routes and document -----------------------------------------------------------------


def test_the_route_table_lists_every_relation_endpoint_with_loopback_s_ids(
    tmp_path: Path,
) -> None:
    app_spec, _ = check(project(tmp_path, DATASOURCES["memory"]))
    table = {
        (route.method, route.path): route.operation_id
        for route in route_table(app_spec)
        if route.path.count("/") > 2
    }
    assert table == {
        ("GET", "/doctors/{id}/patients"): "DoctorPatientController.find",
        ("POST", "/doctors/{id}/patients"): "DoctorPatientController.create",
        ("PATCH", "/doctors/{id}/patients"): "DoctorPatientController.patch",
        ("DELETE", "/doctors/{id}/patients"): "DoctorPatientController.delete",
        ("PUT", "/doctors/{id}/patients/link/{fk}"): "DoctorPatientController.link",
        ("DELETE", "/doctors/{id}/patients/link/{fk}"): "DoctorPatientController.unlink",
        ("GET", "/nurses/{id}/patients"): "NursePatientController.find",
        ("POST", "/nurses/{id}/patients"): "NursePatientController.create",
        ("PATCH", "/nurses/{id}/patients"): "NursePatientController.patch",
        ("DELETE", "/nurses/{id}/patients"): "NursePatientController.delete",
        ("PUT", "/nurses/{id}/patients/link/{fk}"): "NursePatientController.link",
        ("DELETE", "/nurses/{id}/patients/link/{fk}"): "NursePatientController.unlink",
        ("GET", "/todo-lists/{id}/todos"): "TodoListTodoController.find",
        ("POST", "/todo-lists/{id}/todos"): "TodoListTodoController.create",
        ("PATCH", "/todo-lists/{id}/todos"): "TodoListTodoController.patch",
        ("DELETE", "/todo-lists/{id}/todos"): "TodoListTodoController.delete",
        ("GET", "/todos/{id}/todo-list"): "TodoTodoListController.getTodoList",
        ("GET", "/users/{id}/accounts"): "UserAccountController.find",
        ("GET", "/users/{id}/profile"): "UserProfileController.get",
        ("POST", "/users/{id}/profile"): "UserProfileController.create",
        ("PATCH", "/users/{id}/profile"): "UserProfileController.patch",
        ("DELETE", "/users/{id}/profile"): "UserProfileController.delete",
    }


HIDDEN_AND_READONLY = """\
models:
  Category:
    datasource: db
    rest: {readonly: true}
    properties:
      id: {type: integer, id: true, generated: true}
      parentId: {type: integer}
    relations:
      parent: {type: belongsTo, model: Category, foreignKey: parentId}
      children: {type: hasMany, model: Category, foreignKey: parentId}
      secret: {type: hasMany, model: Note, foreignKey: categoryId, rest: false}
  Note:
    datasource: db
    rest: false
    properties:
      id: {type: integer, id: true, generated: true}
      categoryId: {type: integer}
"""


def test_readonly_models_keep_the_reads_and_hidden_relations_have_no_endpoint(
    tmp_path: Path,
) -> None:
    app_spec, _ = check(project(tmp_path, DATASOURCES["memory"], HIDDEN_AND_READONLY))
    table = [
        (route.method, route.path, route.operation_id)
        for route in route_table(app_spec)
        if route.path.startswith("/categories/{id}/")
    ]
    # two relations to the same model: the relation's name tells their controllers apart
    assert table == [
        ("GET", "/categories/{id}/children", "CategoryChildrenController.find"),
        ("GET", "/categories/{id}/parent", "CategoryParentController.getCategory"),
    ]
    document = openapi_document(app_spec)
    validate(document)
    assert "NewCategoryInCategoryChildren" not in document["components"]["schemas"]


UNSERVED_TARGET = """\
models:
  Owner:
    datasource: db
    properties:
      id: {type: integer, id: true, generated: true}
    relations:
      secret: {type: hasOne, model: Secret, foreignKey: ownerId}
  Secret:
    datasource: db
    rest: false
    properties:
      id: {type: integer, id: true, generated: true}
      ownerId: {type: integer}
    relations:
      owner: {type: belongsTo, model: Owner, foreignKey: ownerId}
"""


def test_a_target_not_served_over_rest_is_served_and_documented_through_its_relation(
    tmp_path: Path,
) -> None:
    app_spec, _ = check(project(tmp_path, DATASOURCES["memory"], UNSERVED_TARGET))
    paths = {route.path for route in route_table(app_spec)}
    assert {"/owners/{id}/secret", "/secrets"} & paths == {"/owners/{id}/secret"}
    document = openapi_document(app_spec)
    validate(document)
    schemas = document["components"]["schemas"]
    assert schemas["SecretWithRelations"]["properties"]["owner"] == {
        "$ref": "#/components/schemas/OwnerWithRelations"
    }
    assert "Owner.ScopeFilter" in schemas


def test_the_document_is_valid_and_describes_relation_bodies_and_inclusions(
    tmp_path: Path,
) -> None:
    app_spec, _ = check(project(tmp_path, DATASOURCES["memory"]))
    document = openapi_document(app_spec)
    validate(document)
    schemas = document["components"]["schemas"]
    new_todo = schemas["NewTodoInTodoList"]
    assert (new_todo["required"], new_todo["properties"]["todoListId"]["readOnly"]) == (
        ["title"],
        True,
    )
    assert "id" not in new_todo["properties"]
    assert schemas["TodoPartialInTodoList"]["properties"]["todoListId"]["readOnly"] is True
    assert schemas["NewPatientInDoctor"]["required"] == ["name"]
    assert schemas["TodoWithRelations"]["properties"]["todoList"] == {
        "$ref": "#/components/schemas/TodoListWithRelations"
    }
    assert schemas["TodoListWithRelations"]["properties"]["todos"] == {
        "type": "array",
        "items": {"$ref": "#/components/schemas/TodoWithRelations"},
    }
    assert schemas["UserWithRelations"]["properties"]["accounts"]["type"] == "array"
    operation = document["paths"]["/todo-lists/{id}/todos"]["post"]
    assert operation["tags"] == ["TodoListTodoController"]
    assert operation["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/NewTodoInTodoList"
    }
    assert sorted(operation["responses"]) == [
        "200",
        "400",
        "404",
        "409",
        "413",
        "415",
        "422",
        "503",
    ]
    link = document["paths"]["/doctors/{id}/patients/link/{fk}"]
    assert (sorted(link), sorted(link["put"]["responses"])) == (
        ["delete", "put"],
        ["204", "400", "404", "409", "503"],
    )
