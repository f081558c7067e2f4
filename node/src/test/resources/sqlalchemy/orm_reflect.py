"""SQLAlchemy 1.4 ORM through psycopg2 against a PostgreSQL server (TroupeDB in SqlAlchemyIT).

Usage: orm_reflect.py PORT [DBNAME]. Creates a schema with relationships through the ORM's
declarative mapping, reflects it back with MetaData.reflect() and checks the tables, columns,
primary keys, foreign keys and indexes, then runs CRUD through a Session. Prints "ok ..." per
check and exits non-zero on the first wrong answer.
"""
import sys

import sqlalchemy
from sqlalchemy import (Column, ForeignKey, Index, Integer, MetaData, Numeric, String, Text,
                        UniqueConstraint, create_engine, func, inspect, select)
from sqlalchemy.orm import Session, declarative_base, relationship

port = sys.argv[1]
dbname = sys.argv[2] if len(sys.argv) > 2 else "defaultdb"
engine = create_engine(f"postgresql+psycopg2://root@127.0.0.1:{port}/{dbname}", future=True)
Base = declarative_base()


def check(cond, what):
    if not cond:
        print(f"FAIL {what}", flush=True)
        sys.exit(1)
    print(f"ok {what}", flush=True)


class Customer(Base):
    __tablename__ = "sa_customer"
    id = Column(Integer, primary_key=True)
    email = Column(String(120), nullable=False, unique=True)
    name = Column(String(80), nullable=False)
    orders = relationship("Order", back_populates="customer", cascade="all, delete-orphan")


class Product(Base):
    __tablename__ = "sa_product"
    id = Column(Integer, primary_key=True)
    sku = Column(String(32), nullable=False)
    price = Column(Numeric(10, 2), nullable=False)
    description = Column(Text)
    __table_args__ = (UniqueConstraint("sku", name="sa_product_sku_key"),)


class Order(Base):
    __tablename__ = "sa_order"
    id = Column(Integer, primary_key=True)
    customer_id = Column(Integer, ForeignKey("sa_customer.id"), nullable=False)
    note = Column(String(200))
    customer = relationship("Customer", back_populates="orders")
    lines = relationship("OrderLine", back_populates="order", cascade="all, delete-orphan")
    __table_args__ = (Index("sa_order_customer_idx", "customer_id"),)


class OrderLine(Base):
    __tablename__ = "sa_order_line"
    order_id = Column(Integer, ForeignKey("sa_order.id", ondelete="CASCADE"), primary_key=True)
    line_no = Column(Integer, primary_key=True)
    product_id = Column(Integer, ForeignKey("sa_product.id"), nullable=False)
    quantity = Column(Integer, nullable=False, default=1)
    order = relationship("Order", back_populates="lines")
    product = relationship("Product")


print(f"sqlalchemy {sqlalchemy.__version__}", flush=True)
Base.metadata.drop_all(engine)
Base.metadata.create_all(engine)
check(True, "create_all")

# --- reflection ---
names = {"sa_customer", "sa_product", "sa_order", "sa_order_line"}
reflected = MetaData()
reflected.reflect(bind=engine, only=sorted(names))
check(set(reflected.tables) == names, f"reflected tables {sorted(reflected.tables)}")

cust = reflected.tables["sa_customer"]
check([c.name for c in cust.columns] == ["id", "email", "name"], "sa_customer columns in order")
check([c.name for c in cust.primary_key.columns] == ["id"], "sa_customer primary key")
check(isinstance(cust.c.email.type, sqlalchemy.String) and cust.c.email.type.length == 120,
      f"sa_customer.email type {cust.c.email.type!r}")
check(cust.c.email.nullable is False and cust.c.id.nullable is False, "sa_customer NOT NULL columns")

prod = reflected.tables["sa_product"]
check(isinstance(prod.c.price.type, sqlalchemy.Numeric) and prod.c.price.type.precision == 10
      and prod.c.price.type.scale == 2, f"sa_product.price type {prod.c.price.type!r}")
check(isinstance(prod.c.description.type, sqlalchemy.Text), f"sa_product.description type {prod.c.description.type!r}")
check(prod.c.description.nullable is True, "sa_product.description nullable")

order = reflected.tables["sa_order"]
fks = [(fk.parent.name, fk.column.table.name, fk.column.name) for fk in order.foreign_keys]
check(fks == [("customer_id", "sa_customer", "id")], f"sa_order foreign keys {fks}")

line = reflected.tables["sa_order_line"]
check([c.name for c in line.primary_key.columns] == ["order_id", "line_no"], "sa_order_line composite primary key")
line_fks = sorted((fk.parent.name, fk.column.table.name, fk.column.name, fk.ondelete) for fk in line.foreign_keys)
check(line_fks == [("order_id", "sa_order", "id", "CASCADE"), ("product_id", "sa_product", "id", None)],
      f"sa_order_line foreign keys {line_fks}")

insp = inspect(engine)
check(sorted(n for n in insp.get_table_names() if n.startswith("sa_")) == sorted(names), "inspector table names")
idx = {i["name"]: (i["column_names"], i["unique"]) for i in insp.get_indexes("sa_order")}
check(idx.get("sa_order_customer_idx") == (["customer_id"], False), f"sa_order indexes {idx}")
uniques = {u["name"]: u["column_names"] for u in insp.get_unique_constraints("sa_product")}
check(uniques.get("sa_product_sku_key") == ["sku"], f"sa_product unique constraints {uniques}")
pk = insp.get_pk_constraint("sa_order_line")
check(pk["constrained_columns"] == ["order_id", "line_no"], f"inspector primary key {pk}")
# NB: TroupeDB also indexes a foreign key's columns when no index leads with them (docs/sql.md,
# Constraints): sa_order_customer_id_idx, which PostgreSQL would not have. Any index beyond the
# declared one must be such an index.
fk_cols = [[fk.parent.name] for fk in order.foreign_keys]
extra = [i for i in order.indexes if i.name != "sa_order_customer_idx"]
check("sa_order_customer_idx" in {i.name for i in order.indexes}
      and all([c.name for c in i.columns] in fk_cols for i in extra), "reflected Table.indexes")

# --- CRUD through a Session ---
with Session(engine) as s:
    ada = Customer(id=1, email="ada@example.com", name="Ada")
    bob = Customer(id=2, email="bob@example.com", name="Bob")
    widget = Product(id=1, sku="W-1", price=9.99, description="a widget")
    gadget = Product(id=2, sku="G-1", price=24.50)
    o = Order(id=100, customer=ada, note="first")
    o.lines = [OrderLine(line_no=1, product=widget, quantity=3), OrderLine(line_no=2, product=gadget)]
    s.add_all([ada, bob, widget, gadget, o])
    s.commit()
check(True, "insert through Session")

with Session(engine) as s:
    ada = s.get(Customer, 1)
    check(ada is not None and ada.name == "Ada", "get by primary key")
    check([o.id for o in ada.orders] == [100], "one-to-many relationship loads")
    lines = sorted(ada.orders[0].lines, key=lambda l: l.line_no)
    check([(l.product.sku, l.quantity) for l in lines] == [("W-1", 3), ("G-1", 1)],
          "many-to-one relationship and column default")
    total = s.execute(
        select(func.sum(Product.price * OrderLine.quantity))
        .join(OrderLine, OrderLine.product_id == Product.id)
        .where(OrderLine.order_id == 100)).scalar_one()
    check(str(total) == "54.47", f"join with aggregate {total}")
    ada.name = "Ada Lovelace"
    ada.orders[0].note = "updated"
    s.commit()

with Session(engine) as s:
    check(s.get(Customer, 1).name == "Ada Lovelace", "update through Session")
    names_by_email = s.execute(select(Customer.email).order_by(Customer.email)).scalars().all()
    check(names_by_email == ["ada@example.com", "bob@example.com"], "select ordered")
    s.delete(s.get(Customer, 1))  # cascades to the order and its lines (ORM cascade)
    s.commit()

with Session(engine) as s:
    check(s.get(Customer, 1) is None, "delete through Session")
    check(s.execute(select(func.count()).select_from(Order)).scalar_one() == 0, "delete cascaded to orders")
    check(s.execute(select(func.count()).select_from(OrderLine)).scalar_one() == 0, "delete cascaded to lines")
    s.add(Order(id=200, customer_id=999))
    try:
        s.commit()
        check(False, "foreign key violation refused")
    except sqlalchemy.exc.IntegrityError as e:
        s.rollback()
        check(e.orig.pgcode == "23503", f"foreign key violation refused with {e.orig.pgcode}")

Base.metadata.drop_all(engine)
check(not any(n.startswith("sa_") for n in inspect(engine).get_table_names()), "drop_all")
print("sqlalchemy orm: all passed", flush=True)
