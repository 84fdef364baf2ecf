CREATE TABLE items (
    id serial,
    code varchar(20) NOT NULL,
    qty integer DEFAULT 0 CHECK (qty >= 0),
    price numeric(10,2),
    CONSTRAINT items_code_id CHECK (id > 0)
);
CREATE SEQUENCE counter;
CREATE TABLE notes (n bigint NOT NULL, flag boolean);
INSERT INTO items (code, qty, price) VALUES ('a1', 3, 9.50);
