-- Geometric types: text forms, operators, functions, casts and input errors.
SELECT '(1,2)'::point, ' ( 1.5 , -2e3 ) '::point, '3,4'::point;
SELECT '[(1,2),(3,4)]'::lseg, '((0,0),(1,1))'::lseg, '1,2,3,4'::lseg;
SELECT '{1,-1,0}'::line, '[(0,0),(1,1)]'::line, '(0,0),(0,5)'::line, '((1,1),(5,1))'::line;
SELECT '(1,2),(3,4)'::box, '((3,4),(1,2))'::box, '1,2,3,4'::box;
SELECT '[(1,2),(3,4),(5,6)]'::path, '((1,2),(3,4))'::path, '(1,2),(3,4)'::path, '1,2,3,4'::path;
SELECT '((0,0),(0,1),(1,1),(1,0))'::polygon, '0,0,4,4,4,0'::polygon;
SELECT '<(1,2),3>'::circle, '((1,2),3)'::circle, '1,2,3'::circle, '(1,2),3'::circle;
SELECT '(1e-300,1e300)'::point, '(NaN,Infinity)'::point, '(-0,0.1)'::point;
SET extra_float_digits = 0;
SELECT '(0.1,0.2)'::point + '(0.2,0.1)'::point AS sum;
RESET extra_float_digits;
SELECT '(0.1,0.2)'::point + '(0.2,0.1)'::point AS sum;
-- Points.
SELECT p[0] AS x, p[1] AS y, p[2] AS missing FROM (VALUES ('(3,4)'::point)) v(p);
SELECT '(0,0)'::point <-> '(3,4)'::point AS dist, slope('(0,0)'::point, '(2,4)'::point),
       slope('(1,0)'::point, '(1,4)'::point) AS vertical;
SELECT '(1,2)'::point - '(3,5)'::point AS diff, '(1,2)'::point * '(3,5)'::point AS prod,
       '(1,2)'::point / '(3,5)'::point AS quot;
SELECT '(1,2)'::point << '(2,0)'::point AS left_of, '(1,2)'::point >^ '(2,0)'::point AS above,
       '(1,2)'::point ?| '(1,9)'::point AS vert, '(1,2)'::point ~= '(1.0000001,2)'::point AS same,
       '(1,2)'::point <> '(1,2.1)'::point AS ne;
SELECT point(1.5, 2.5), point('(1,1),(3,5)'::box), point('<(7,8),1>'::circle),
       point('[(0,0),(2,2)]'::lseg), point('((0,0),(2,0),(2,2),(0,2))'::polygon);
SELECT box('(1,1)'::point), box('(3,4)'::point, '(1,2)'::point);
-- Line segments and lines.
SELECT length('[(0,0),(3,4)]'::lseg), @-@ '[(0,0),(3,4)]'::lseg AS len,
       '[(0,0),(2,2)]'::lseg # '[(0,2),(2,0)]'::lseg AS crossing,
       '[(0,0),(2,2)]'::lseg ?# '[(0,2),(2,0)]'::lseg AS intersects,
       '[(0,0),(1,0)]'::lseg ?# '[(0,2),(2,2)]'::lseg AS apart;
SELECT '[(0,0),(1,0)]'::lseg ?|| '[(0,2),(2,2)]'::lseg AS parallel,
       '[(0,0),(1,0)]'::lseg ?-| '[(0,0),(0,2)]'::lseg AS perp,
       ?- '[(0,0),(1,0)]'::lseg AS horizontal, ?| '[(0,0),(0,1)]'::lseg AS vertical;
SELECT '[(0,0),(1,0)]'::lseg <-> '[(0,2),(2,2)]'::lseg AS seg_dist,
       '(5,5)'::point <-> '[(0,0),(2,0)]'::lseg AS pt_seg,
       '(5,5)'::point ## '[(0,0),(2,0)]'::lseg AS closest;
SELECT '{1,-1,0}'::line # '{1,1,-2}'::line AS meet, '{1,-1,0}'::line ?|| '{1,-1,5}'::line AS par,
       '{1,-1,0}'::line <-> '{1,-1,5}'::line AS line_dist, '(0,2)'::point <-> '{1,-1,0}'::line AS pt_line,
       '(1,1)'::point <@ '{1,-1,0}'::line AS on_line, line('(0,0)'::point, '(2,1)'::point);
SELECT '{1,-1,0}'::line = '{2,-2,0}'::line AS same_line, ?| '{1,0,3}'::line AS vert,
       ?- '{0,1,3}'::line AS horiz, '{1,-1,0}'::line ?-| '{1,1,0}'::line AS perp;
SELECT '[(0,0),(2,2)]'::lseg ## '[(3,0),(3,5)]'::lseg AS close_lseg,
       '[(0,5),(1,5)]'::lseg <-> '{1,-1,0}'::line AS seg_line;
-- Boxes.
SELECT area('(2,2),(0,0)'::box), width('(3,2),(0,0)'::box), height('(3,2),(0,0)'::box),
       center('(2,2),(0,0)'::box), @@ '(2,2),(0,0)'::box AS center_op, diagonal('(2,2),(0,0)'::box);
SELECT '(2,2),(0,0)'::box && '(3,3),(1,1)'::box AS overlap, '(2,2),(0,0)'::box # '(3,3),(1,1)'::box AS inter,
       '(2,2),(0,0)'::box # '(9,9),(8,8)'::box AS no_inter, bound_box('(2,2),(0,0)'::box, '(5,1),(4,-1)'::box);
SELECT '(1,1),(0,0)'::box << '(3,3),(2,2)'::box AS left_of, '(1,1),(0,0)'::box &< '(3,3),(2,2)'::box AS overleft,
       '(3,3),(0,0)'::box @> '(2,2),(1,1)'::box AS contains, '(2,2),(1,1)'::box <@ '(3,3),(0,0)'::box AS contained,
       '(1,1)'::point <@ '(2,2),(0,0)'::box AS pt_in, '(2,2),(0,0)'::box ~= '(0,0),(2,2)'::box AS same;
SELECT '(2,2),(0,0)'::box = '(4,1),(0,0)'::box AS eq_area, '(2,2),(0,0)'::box < '(3,3),(0,0)'::box AS lt_area,
       '(2,2),(0,0)'::box + '(1,1)'::point AS moved, '(2,2),(0,0)'::box * '(2,0)'::point AS scaled,
       '(2,2),(0,0)'::box / '(2,0)'::point AS shrunk;
SELECT '(5,5)'::point <-> '(2,2),(0,0)'::box AS pt_box, '(5,5)'::point ## '(2,2),(0,0)'::box AS closest,
       '[(3,0),(3,5)]'::lseg <-> '(2,2),(0,0)'::box AS seg_box, '[(1,-1),(1,5)]'::lseg ?# '(2,2),(0,0)'::box AS crosses,
       '{1,-1,0}'::line ?# '(2,2),(0,0)'::box AS line_crosses, '(2,2),(0,0)'::box <-> '(7,2),(5,0)'::box AS box_dist;
-- Paths.
SELECT npoints('[(0,0),(3,4),(6,0)]'::path), length('[(0,0),(3,4),(6,0)]'::path),
       length('((0,0),(3,4),(6,0))'::path) AS closed_length, area('((0,0),(4,0),(4,4))'::path),
       area('[(0,0),(4,0),(4,4)]'::path) AS open_area;
SELECT isopen('[(0,0),(1,1)]'::path), isclosed('[(0,0),(1,1)]'::path), pclose('[(0,0),(1,1)]'::path),
       popen('((0,0),(1,1))'::path), '[(0,0),(1,1)]'::path + '[(2,2),(3,3)]'::path AS joined;
SELECT '[(0,0),(1,1)]'::path + '(1,1)'::point AS shifted, '[(0,0),(1,1)]'::path * '(0,1)'::point AS rotated,
       '(3,3)'::point <-> '[(0,0),(1,1),(2,0)]'::path AS pt_path,
       '[(0,0),(2,2)]'::path ?# '[(0,2),(2,0)]'::path AS cross,
       '[(0,0),(2,2)]'::path <-> '[(5,5),(6,6)]'::path AS path_dist,
       '((0,0),(4,0),(4,4))'::path @> '(3,1)'::point AS contains;
-- Polygons.
SELECT npoints('((0,0),(0,2),(2,2),(2,0))'::polygon), # '((0,0),(0,2),(2,2),(2,0))'::polygon AS n,
       box('((0,0),(0,2),(3,1))'::polygon),
       path('((0,0),(0,2),(3,1))'::polygon), circle('((0,0),(0,2),(2,2),(2,0))'::polygon);
SELECT '((0,0),(0,4),(4,4),(4,0))'::polygon @> '((1,1),(1,2),(2,2))'::polygon AS contains,
       '((1,1),(1,2),(2,2))'::polygon <@ '((0,0),(0,4),(4,4),(4,0))'::polygon AS contained,
       '((0,0),(0,4),(4,4),(4,0))'::polygon && '((3,3),(3,6),(6,6))'::polygon AS overlaps,
       '((0,0),(0,4),(4,4),(4,0))'::polygon @> '(2,2)'::point AS pt_inside,
       '(4,2)'::point <@ '((0,0),(0,4),(4,4),(4,0))'::polygon AS on_edge,
       '((0,0),(0,4),(4,4),(4,0))'::polygon ~= '((4,4),(4,0),(0,0),(0,4))'::polygon AS same;
SELECT '((0,0),(0,1),(1,1))'::polygon <-> '((3,0),(3,1),(4,1))'::polygon AS poly_dist,
       '(5,0)'::point <-> '((0,0),(0,1),(1,1))'::polygon AS pt_poly,
       '((0,0),(0,1),(1,1))'::polygon << '((3,0),(3,1),(4,1))'::polygon AS left_of,
       polygon('(2,2),(0,0)'::box), polygon('((0,0),(1,1),(2,0))'::path), polygon(4, '<(0,0),1>'::circle);
-- Circles.
SELECT area('<(0,0),2>'::circle), radius('<(0,0),2>'::circle), diameter('<(0,0),2>'::circle),
       center('<(1,2),2>'::circle), circle('(1,2)'::point, 3), circle('(2,2),(0,0)'::box), box('<(0,0),2>'::circle);
SELECT '<(0,0),2>'::circle <-> '<(5,0),1>'::circle AS dist, '<(0,0),2>'::circle && '<(3,0),1>'::circle AS overlap,
       '<(0,0),5>'::circle @> '<(1,0),1>'::circle AS contains, '<(0,0),2>'::circle @> '(1,1)'::point AS pt_in,
       '(5,0)'::point <-> '<(0,0),2>'::circle AS pt_dist, '<(0,0),2>'::circle = '<(9,9),2>'::circle AS same_area,
       '<(0,0),2>'::circle ~= '<(9,9),2>'::circle AS same;
SELECT '<(1,1),2>'::circle + '(1,0)'::point AS moved, '<(1,1),2>'::circle * '(0,2)'::point AS scaled,
       '<(0,0),1>'::circle <-> '((3,0),(3,1),(4,1))'::polygon AS circle_poly;
-- Tables, arrays, NULLs and binary-coercible casts through text.
CREATE TABLE shapes (id int, p point, b box, c circle, g polygon);
INSERT INTO shapes VALUES (1, '(1,1)', '(2,2),(0,0)', '<(0,0),1>', '((0,0),(0,3),(3,0))'),
  (2, '(5,5)', '(6,6),(4,4)', '<(5,5),2>', '((4,4),(4,8),(8,4))'), (3, NULL, NULL, NULL, NULL);
SELECT id, p, b, c, g, p <@ b AS inside, b @> p AS box_has FROM shapes ORDER BY id;
SELECT s1.id, s2.id, s1.p <-> s2.p AS dist FROM shapes s1, shapes s2
  WHERE s1.id < s2.id ORDER BY 1, 2;
SELECT id FROM shapes WHERE p <@ '(3,3),(0,0)'::box ORDER BY id;
SELECT ARRAY['(1,2)'::point, '(3,4)'], ARRAY['(2,2),(0,0)'::box, '(1,1),(0,0)'], '{"(1,2)","(3,4)"}'::point[];
SELECT p::text, b::text FROM shapes WHERE id = 1;
DROP TABLE shapes;
-- Errors.
SELECT 'asdfasdf'::point;
SELECT '(10.0 10.0)'::point;
SELECT '(10.0,10.0'::point;
SELECT '(1e400,1)'::point;
SELECT '[(1,2),(3,4)'::lseg;
SELECT '[(1,2),(3,4)]'::box;
SELECT '{0,0,1}'::line;
SELECT '(1,1),(1,1)'::line;
SELECT '((1,2),(3,4)'::path;
SELECT '(1,2),(3,4),(5'::polygon;
SELECT '<(1,2),-3>'::circle;
SELECT '<(1,2),3'::circle;
SELECT line('(1,1)'::point, '(1,1)'::point);
SELECT '(1,2)'::point / '(0,0)'::point;
SELECT '(1e300,1e300)'::point * '(1e300,1e300)'::point;
SELECT polygon('[(0,0),(1,1)]'::path);
SELECT polygon(1, '<(0,0),1>'::circle);
SELECT polygon(4, '<(0,0),0>'::circle);
SELECT ('(1,2)'::point)[0:1];
