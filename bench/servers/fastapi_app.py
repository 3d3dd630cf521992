"""The benchmark's endpoints in FastAPI + SQLAlchemy, written the way their docs teach.

What a Python developer would write instead of a manifest: async SQLAlchemy
ORM models mapped onto the tables composer created, an ``AsyncSession`` per
request through ``Depends``, pydantic response models, and FastAPI's own JSON
rendering. Served by ``uvicorn`` with asyncio's event loop and httptools'
parser (composer runs on asyncio's loop too)::

    BENCH_DATABASE_URL=sqlite+aiosqlite:///todo.db \\
        python -m uvicorn bench.servers.fastapi_app:app --loop asyncio --http httptools

The engine keeps SQLAlchemy's default pool (5 + 10 overflow), composer's too;
SQLite connections get composer's pragmas. ``GET /__bench/statements`` counts
every statement the engine sends.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import DateTime, ForeignKey, event, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, selectinload

from bench.servers import STATEMENTS_PATH

__all__ = ["app"]

DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "sqlite+aiosqlite:///todo.db")

engine = create_async_engine(DATABASE_URL)
SessionLocal = async_sessionmaker(engine, expire_on_commit=False)
#: statements the engine has sent, by the name the counter route answers with
counter = {"statements": 0}


@event.listens_for(engine.sync_engine, "before_cursor_execute")
def _count(*_args: Any) -> None:
    counter["statements"] += 1


if engine.dialect.name == "sqlite":

    @event.listens_for(engine.sync_engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON"):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()


class Base(DeclarativeBase):
    pass


class TodoList(Base):
    __tablename__ = "TodoList"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str]
    color: Mapped[str | None]
    todos: Mapped[list[Todo]] = relationship(back_populates="todoList", order_by="Todo.id")


class Todo(Base):
    __tablename__ = "Todo"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str]
    desc: Mapped[str | None]
    isComplete: Mapped[bool | None]
    priority: Mapped[float | None]
    createdAt: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    todoListId: Mapped[int] = mapped_column(ForeignKey("TodoList.id"))
    todoList: Mapped[TodoList] = relationship(back_populates="todos")


class TodoBase(BaseModel):
    title: str = Field(min_length=1)
    desc: str | None = None
    isComplete: bool | None = None
    priority: float | None = None
    createdAt: datetime | None = None
    todoListId: int


class TodoCreate(TodoBase):
    pass


class TodoPublic(TodoBase):
    model_config = ConfigDict(from_attributes=True)

    id: int


class TodoListPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    title: str
    color: str | None = None


class TodoListWithTodos(TodoListPublic):
    todos: list[TodoPublic] = []


class Count(BaseModel):
    count: int


class TodoWhere(BaseModel):
    isComplete: bool | None = None


class TodoFilter(BaseModel):
    where: TodoWhere = TodoWhere()
    limit: int | None = Field(default=None, ge=0)
    include: list[str] = []


async def get_session() -> AsyncIterator[AsyncSession]:
    async with SessionLocal() as session:
        yield session


SessionDep = Annotated[AsyncSession, Depends(get_session)]


def parse_filter(filter: Annotated[str | None, Query()] = None) -> TodoFilter:
    if filter is None:
        return TodoFilter()
    return TodoFilter.model_validate_json(filter)


FilterDep = Annotated[TodoFilter, Depends(parse_filter)]


@asynccontextmanager
async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
    yield
    await engine.dispose()


app = FastAPI(lifespan=lifespan)


@app.get("/ping")
async def ping(request: Request) -> dict[str, Any]:
    now = datetime.now(UTC)
    return {
        "greeting": "Hello from FastAPI",
        "date": now.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "url": str(request.url.path) + (f"?{request.url.query}" if request.url.query else ""),
        "headers": dict(request.headers),
    }


@app.get(STATEMENTS_PATH)
async def statement_count() -> dict[str, int]:
    return counter


@app.get("/todos/count", response_model=Count)
async def count_todos(session: SessionDep) -> Count:
    count = await session.scalar(select(func.count()).select_from(Todo))
    return Count(count=count or 0)


@app.get("/todos/{todo_id}", response_model=TodoPublic)
async def read_todo(todo_id: int, session: SessionDep) -> Todo:
    todo = await session.get(Todo, todo_id)
    if todo is None:
        raise HTTPException(status_code=404, detail="Todo not found")
    return todo


@app.get("/todos", response_model=list[TodoPublic])
async def read_todos(session: SessionDep, query: FilterDep) -> list[Todo]:
    statement = select(Todo).order_by(Todo.id)
    if query.where.isComplete is not None:
        statement = statement.where(Todo.isComplete == query.where.isComplete)
    if query.limit is not None:
        statement = statement.limit(query.limit)
    return list(await session.scalars(statement))


@app.post("/todos", response_model=TodoPublic)
async def create_todo(todo: TodoCreate, session: SessionDep) -> Todo:
    db_todo = Todo(**todo.model_dump())
    session.add(db_todo)
    await session.commit()
    await session.refresh(db_todo)
    return db_todo


@app.get("/todo-lists/{list_id}", response_model=TodoListWithTodos)
async def read_todo_list(list_id: int, session: SessionDep, query: FilterDep) -> Any:
    statement = select(TodoList).where(TodoList.id == list_id)
    if "todos" in query.include:
        statement = statement.options(selectinload(TodoList.todos))
    todo_list = await session.scalar(statement)
    if todo_list is None:
        raise HTTPException(status_code=404, detail="TodoList not found")
    if "todos" in query.include:
        return todo_list
    return TodoListPublic.model_validate(todo_list)
