-- Built-in functions at the edges of their inputs: amounts whose words end at
-- twenty, multirange constructors without arguments.
select cash_words(20::money), cash_words(120::money), cash_words(1020::money), cash_words(20000.20::money), cash_words(19::money), cash_words(0::money);
select int4multirange(), nummultirange(), int4multirange(int4range(1,3)), int4multirange(int4range(1,3), int4range(5,7));
