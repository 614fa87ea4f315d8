"""Fixed-shape INSERT and UPDATE statements for the hottest writes (a workflow step's event, national-portal
record and dossier update; the audit seal).

Building a statement through the ORM (query, compiler, expressions) costs more than running it on a prepared
connection: the same INSERT built by `Model.objects.create` takes about 0.3 ms of Python. These helpers write the
same columns with the same per-field conversions (`Field.pre_save`, `Field.get_db_prep_save`: time zones, JSON,
foreign keys, `auto_now`), the SQL text built once per model (and column list) and reused, so PostgreSQL prepares
it once per connection. No signals are sent (motcua connects none to these models; DESIGN.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar, cast

from django.db import DatabaseError, connections, models
from django.db.models.constants import OnConflict

M = TypeVar("M", bound=models.Model)

_sql: dict[tuple[Any, ...], tuple[str, list[models.Field[Any, Any]]]] = {}


def _insert_sql(model: type[models.Model], vendor: str, returning: bool) -> tuple[str, list[models.Field[Any, Any]]]:
    key = ("insert", model, vendor, returning)
    found = _sql.get(key)
    if found is None:
        connection = connections["default"]
        quote = connection.ops.quote_name
        meta = model._meta
        fields = [f for f in meta.concrete_fields if not (f.primary_key and isinstance(f, models.AutoField))]
        # Identifiers from the model's own metadata, quoted; values are parameters.
        sql = (f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "  # noqa: S608
               f"VALUES ({', '.join(['%s'] * len(fields))})")
        if returning:
            sql += f" RETURNING {quote(meta.pk.column)}"
        found = _sql[key] = (sql, fields)
    return found


def insert(obj: models.Model, using: str = "default") -> None:
    """Write OBJ as a new row (what `obj.save()` of a new instance does, without signals) and set its key."""
    connection = connections[using]
    auto_key = isinstance(obj._meta.pk, models.AutoField)
    returning = auto_key and connection.features.can_return_columns_from_insert
    sql, fields = _insert_sql(type(obj), connection.vendor, returning)
    params = [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        if auto_key:
            obj.pk = cursor.fetchone()[0] if returning else cursor.lastrowid
    obj._state.adding = False
    obj._state.db = using


def insert_many(objs: Sequence[M], *, ignore_conflicts: bool = False, using: str = "default") -> list[M]:
    """Write OBJS (new instances of one model) in one multi-row statement — what `bulk_create` does, without its
    query building — and set their keys (not with IGNORE_CONFLICTS: a row skipped on a conflict has none, as with
    `bulk_create`). More rows than the database takes in one statement go through `bulk_create`."""
    if not objs:
        return []
    connection = connections[using]
    model = type(objs[0])
    meta = model._meta
    auto_key = isinstance(meta.pk, models.AutoField)
    fields = [f for f in meta.concrete_fields if not (f.primary_key and isinstance(f, models.AutoField))]
    if len(objs) > connection.ops.bulk_batch_size(fields, objs):
        return model._default_manager.using(using).bulk_create(objs, ignore_conflicts=ignore_conflicts)
    returning = auto_key and connection.features.can_return_rows_from_bulk_insert and not ignore_conflicts
    key = ("insert_many", model, connection.vendor, len(objs), ignore_conflicts, returning)
    found = _sql.get(key)
    if found is None:
        quote = connection.ops.quote_name
        conflict = OnConflict.IGNORE if ignore_conflicts else None
        row = f"({', '.join(['%s'] * len(fields))})"
        sql = (f"{connection.ops.insert_statement(on_conflict=conflict)} {quote(meta.db_table)} "
               f"({', '.join(quote(f.column) for f in fields)}) VALUES {', '.join([row] * len(objs))}"
               )
        suffix = connection.ops.on_conflict_suffix_sql(fields, conflict, None, None) if conflict else ""
        if suffix:
            sql += f" {suffix}"
        if returning:
            sql += f" RETURNING {quote(meta.pk.column)}"
        found = _sql[key] = (sql, fields)
    sql = found[0]
    params = [f.get_db_prep_save(f.pre_save(obj, True), connection) for obj in objs for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        if returning:
            for obj, (pk,) in zip(objs, cursor.fetchall(), strict=True):
                obj.pk = pk
    for obj in objs:
        obj._state.adding = False
        obj._state.db = using
    return list(objs)


def update(obj: models.Model, names: Sequence[str], using: str = "default") -> None:
    """Write the fields NAMES of OBJ's row (what `obj.save(update_fields=NAMES)` does, without signals)."""
    if not names:
        return
    connection = connections[using]
    model = type(obj)
    key = ("update", model, connection.vendor, tuple(names))
    found = _sql.get(key)
    if found is None:
        quote = connection.ops.quote_name
        meta = model._meta
        fields = [cast("models.Field[Any, Any]", meta.get_field(name)) for name in names]
        columns = ", ".join(f"{quote(f.column)} = %s" for f in fields)
        sql = f"UPDATE {quote(meta.db_table)} SET {columns} WHERE {quote(meta.pk.column)} = %s"  # noqa: S608
        found = _sql[key] = (sql, fields)
    sql, fields = found
    params = [f.get_db_prep_save(f.pre_save(obj, False), connection) for f in fields]
    params.append(obj._meta.pk.get_db_prep_value(obj.pk, connection))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        if cursor.rowcount != 1:
            raise DatabaseError(f"{model.__name__} {obj.pk}: the update changed {cursor.rowcount} rows, not 1")


def _where_field(model: type[models.Model], by: str | None) -> models.Field[Any, Any]:
    """The key, or the unique field BY (a field that is not unique could name several rows: refused)."""
    field = model._meta.pk if by is None else model._meta.get_field(by)
    if not isinstance(field, models.Field) or not (field.primary_key or field.unique):
        raise ValueError(f"{model.__name__}.{by} is not unique")
    return field


def _select_sql(model: type[models.Model], vendor: str, lock: bool,
                by: str | None) -> tuple[str, list[str], list[list[Any]]]:
    key = ("select", model, vendor, lock, by)
    found = _sql.get(key)
    if found is None:
        connection = connections["default"]
        quote = connection.ops.quote_name
        meta = model._meta
        fields = list(meta.concrete_fields)
        table = meta.db_table
        converters = []
        for f in fields:
            column = f.get_col(table)
            converters.append([*connection.ops.get_db_converters(column), *column.get_db_converters(connection)])
        suffix = " FOR UPDATE" if lock and connection.features.has_select_for_update else ""
        where = _where_field(model, by)
        sql = (f"SELECT {', '.join(quote(f.column) for f in fields)} FROM {quote(table)} "  # noqa: S608
               f"WHERE {quote(where.column)} = %s{suffix}")
        found = _sql[key] = (sql, [f.attname for f in fields], converters)  # type: ignore[assignment]
    return found  # type: ignore[return-value]


def get(model: type[M], pk: Any, *, lock: bool = False, by: str | None = None, using: str = "default") -> M:
    """The row PK of MODEL (all its columns), locked until the transaction ends with LOCK (`select_for_update()
    .get(pk=…)` without the query building); MODEL.DoesNotExist when there is none. BY names a unique field to
    find the row by instead of the key (PK is then that field's value)."""
    connection = connections[using]
    if lock and connection.features.has_select_for_update and not connection.in_atomic_block:
        raise DatabaseError("a locking read needs a transaction")
    sql, names, converters = _select_sql(model, connection.vendor, lock, by)
    where = _where_field(model, by)
    with connection.cursor() as cursor:
        cursor.execute(sql, [where.get_db_prep_value(pk, connection)])
        row = cursor.fetchone()
    if row is None:
        raise model.DoesNotExist(f"{model.__name__} {pk} does not exist")  # type: ignore[attr-defined]
    values = []
    for value, chain in zip(row, converters, strict=True):
        for convert in chain:
            value = convert(value, None, connection)
        values.append(value)
    return model.from_db(using, names, values)
