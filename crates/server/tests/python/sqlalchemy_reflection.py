"""SQLAlchemy (over psycopg2) against a PostgreSQL-compatible server: schema reflection
(columns, types, defaults, primary key, unique constraints, indexes), the inspector's
table list, and inserts and selects of JSONB through the ORM's core layer.

Usage: python3 sqlalchemy_reflection.py "<libpq connection string>"
Exits 0 and prints "ok" when every check passes; an assertion error otherwise.
"""

import sys

import psycopg2
import sqlalchemy as sa


def main(dsn):
    engine = sa.create_engine("postgresql+psycopg2://", creator=lambda: psycopg2.connect(dsn))
    with engine.begin() as c:
        c.exec_driver_sql(
            "CREATE TABLE sa_parent (id serial PRIMARY KEY, name varchar(50) NOT NULL UNIQUE, "
            "data jsonb, created timestamptz DEFAULT now())"
        )
        c.exec_driver_sql("CREATE INDEX sa_parent_created ON sa_parent (created)")

    md = sa.MetaData()
    md.reflect(bind=engine, only=["sa_parent"])
    t = md.tables["sa_parent"]
    columns = [
        (
            col.name,
            str(col.type),
            col.nullable,
            col.server_default.arg.text if col.server_default is not None else None,
            col.primary_key,
        )
        for col in t.columns
    ]
    assert columns == [
        ("id", "INTEGER", False, "nextval('sa_parent_id_seq'::regclass)", True),
        ("name", "VARCHAR(50)", False, None, False),
        ("data", "JSONB", True, None, False),
        ("created", "TIMESTAMP", True, "now()", False),
    ], columns
    assert t.c.created.type.timezone is True
    indexes = sorted((i.name, [c.name for c in i.columns], i.unique) for i in t.indexes)
    assert indexes == [("sa_parent_created", ["created"], False)], indexes
    assert t.primary_key.name == "sa_parent_pkey"
    assert [c.name for c in t.primary_key.columns] == ["id"]
    uniques = [u.name for u in t.constraints if isinstance(u, sa.UniqueConstraint)]
    assert uniques == ["sa_parent_name_key"], uniques
    inspector = sa.inspect(engine)
    assert "sa_parent" in inspector.get_table_names()
    assert inspector.get_pk_constraint("sa_parent")["constrained_columns"] == ["id"]

    with engine.begin() as c:
        c.execute(t.insert(), [{"name": "a", "data": {"k": [1, 2]}}, {"name": "b", "data": None}])
        rows = c.execute(sa.select(t.c.id, t.c.name, t.c.data).order_by(t.c.id)).all()
        assert [tuple(r) for r in rows] == [(1, "a", {"k": [1, 2]}), (2, "b", None)], rows
        second = c.execute(sa.select(t.c.data["k"][1]).where(t.c.name == "a")).scalar()
        assert second == 2, second
        found = c.execute(sa.select(t.c.name).where(t.c.data.contains({"k": [2]}))).all()
        assert [r[0] for r in found] == ["a"], found
    print("ok")


if __name__ == "__main__":
    main(sys.argv[1])
