\d
\d items
\d+ items
\d notes
\dt
\dt+
\ds
\dn
\du
\df abs
\dT
\dv
\di
