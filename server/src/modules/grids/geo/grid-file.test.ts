import { describe, expect, it } from 'vitest';
import { parseGridFile } from './grid-file.ts';

const SQUARE = [
  [
    [120, 30],
    [120.01, 30],
    [120.01, 30.01],
    [120, 30.01],
    [120, 30],
  ],
];

function feature(
  properties: Record<string, unknown>,
  geometry: unknown = { type: 'Polygon', coordinates: SQUARE },
) {
  return { type: 'Feature', properties, geometry };
}

function geojson(...features: unknown[]): string {
  return JSON.stringify({ type: 'FeatureCollection', features });
}

describe('parseGridFile: file level', () => {
  it.each([
    ['grids.txt', 'x', /Unsupported file type/],
    ['grids.geojson', '{not json', /Invalid JSON/],
    ['grids.geojson', '{"type":"Feature"}', /Expected a GeoJSON FeatureCollection/],
    ['grids.csv', '', /Empty CSV/],
    ['grids.csv', 'code,name,parent_code\n"a,b,c\n', /Invalid CSV/],
  ])('%s %j', (fileName, content, message) => {
    const result = parseGridFile(fileName, content);
    expect(result.records).toEqual([]);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]?.message).toMatch(message);
  });
});

describe('parseGridFile: GeoJSON', () => {
  it('reports every bad feature with its index and field', () => {
    const content = geojson(
      feature({ code: '', name: ' ', parent_code: 'p' }),
      feature({ code: 'bad code!', name: 'x', parent_code: 'p', households: -1, level: 'street' }),
      feature({ code: 'a'.repeat(33), name: 'x', parent_code: 'p', households: 1.5 }),
      feature({ code: 'g4', name: 'x', parent_code: 'p' }, null),
      feature({ code: 'g5', name: 'x', parent_code: 'p' }, { type: 'Point', coordinates: [120, 30] }),
      feature(
        { code: 'g6', name: 'x', parent_code: 'p' },
        {
          type: 'Polygon',
          coordinates: [
            [
              [120, 30],
              [120.01, 30],
              [120, 30],
            ],
          ],
        },
      ),
      feature(
        { code: 'g7', name: 'x', parent_code: 'p' },
        {
          type: 'Polygon',
          coordinates: [
            [
              [0, 0],
              [1, 0],
              [1, 1],
              [0, 0.5],
            ],
          ],
        },
      ),
      feature(
        { code: 'g8', name: 'x', parent_code: 'p' },
        {
          type: 'Polygon',
          coordinates: [
            [
              [30, 120],
              [30, 121],
              [31, 121],
              [30, 120],
            ],
          ],
        },
      ),
      feature(
        { code: 'g9', name: 'x', parent_code: 'p' },
        {
          type: 'Polygon',
          coordinates: [
            [
              [181, 0],
              [181, 1],
              [180, 1],
              [181, 0],
            ],
          ],
        },
      ),
      feature(
        { code: 'g10', name: 'x', parent_code: 'p' },
        {
          type: 'MultiPolygon',
          coordinates: [
            SQUARE,
            [
              [
                [0, 0],
                ['1', 0],
                [1, 1],
                [0, 0],
              ],
            ],
          ],
        },
      ),
      { type: 'Geometry' },
      feature({ code: 'g12', name: 'x', parent_code: 'p', households: '12a' }),
    );
    const { records, errors } = parseGridFile('import.geojson', content);
    expect(records).toEqual([]);
    expect(errors.map((error) => [error.where, error.field])).toEqual([
      ['features[0]', 'code'],
      ['features[0]', 'name'],
      ['features[1]', 'code'],
      ['features[1]', 'households'],
      ['features[1]', 'level'],
      ['features[2]', 'code'],
      ['features[2]', 'households'],
      ['features[3]', 'geometry'],
      ['features[4]', 'geometry'],
      ['features[5]', 'geometry'],
      ['features[6]', 'geometry'],
      ['features[7]', 'geometry'],
      ['features[8]', 'geometry'],
      ['features[9]', 'geometry'],
      ['features[10]', 'type'],
      ['features[11]', 'households'],
    ]);
    const messages = errors.map((error) => error.message);
    expect(messages).toContain('coordinates[0]: a ring needs at least 4 positions');
    expect(messages).toContain('coordinates[0]: ring is not closed (first ≠ last position)');
    expect(messages).toContain('coordinates[0][0]: latitude 120 outside [-90, 90]');
    expect(messages).toContain('coordinates[0][0]: longitude 181 outside [-180, 180]');
    expect(messages).toContain('coordinates[1][0][1]: not a number');
    expect(messages.find((message) => message.includes('Point'))).toMatch(
      /Unsupported geometry type "Point"/,
    );
  });

  it('reads good features, parents first, with numeric codes and optional fields', () => {
    const multi = { type: 'MultiPolygon', coordinates: [SQUARE], bbox: [0, 0, 1, 1] };
    const content = geojson(
      feature({ code: '330110005001001001', name: '第1微网格', parent_code: '330110005001001', extra: true }),
      feature(
        {
          code: '330110005001001',
          name: '第1网格',
          parent_code: 330110005001,
          households: 200,
          level: 'grid',
        },
        multi,
      ),
      feature({ code: 'other', name: '其他', parent_code: 'elsewhere', households: '7', level: null }),
    );
    const { records, errors } = parseGridFile('IMPORT.GeoJSON', `\uFEFF${content}`);
    expect(errors).toEqual([]);
    expect(records.map((record) => record.code)).toEqual(['330110005001001', '330110005001001001', 'other']);
    expect(records[0]).toEqual({
      code: '330110005001001',
      name: '第1网格',
      parentCode: '330110005001',
      households: 200,
      level: 'grid',
      geometry: { type: 'MultiPolygon', coordinates: [SQUARE] },
      where: 'features[1]',
    });
    expect(records[1]).toMatchObject({ households: null, level: null, where: 'features[0]' });
    expect(records[1]?.geometry).toEqual({ type: 'Polygon', coordinates: SQUARE });
    expect(records[2]).toMatchObject({ households: 7, parentCode: 'elsewhere' });
  });

  it('reports duplicate codes and cycles', () => {
    const content = geojson(
      feature({ code: 'a', name: 'A', parent_code: 'b' }),
      feature({ code: 'b', name: 'B', parent_code: 'c' }),
      feature({ code: 'c', name: 'C', parent_code: 'a' }),
      feature({ code: 'd', name: 'D', parent_code: 'root' }),
      feature({ code: 'd', name: 'D again', parent_code: 'root' }),
      feature({ code: 'e', name: 'E', parent_code: 'e' }),
      feature({ code: 'f', name: 'F', parent_code: 'd' }),
    );
    const { records, errors } = parseGridFile('x.json', content);
    expect(records.map((record) => [record.code, record.name])).toEqual([
      ['d', 'D'],
      ['f', 'F'],
    ]);
    expect(errors).toEqual([
      { where: 'features[0]', field: 'parent_code', message: 'parent_code cycle: a → b → c → a' },
      { where: 'features[1]', field: 'parent_code', message: 'parent_code cycle: a → b → c → a' },
      { where: 'features[2]', field: 'parent_code', message: 'parent_code cycle: a → b → c → a' },
      { where: 'features[4]', field: 'code', message: 'Duplicate code "d" (first at features[3])' },
      { where: 'features[5]', field: 'parent_code', message: 'parent_code cycle: e → e' },
    ]);
  });

  it('orders a deep chain given leaves first', () => {
    const content = geojson(
      feature({ code: 'l3', name: '3', parent_code: 'l2' }),
      feature({ code: 'm', name: 'm', parent_code: 'l1' }),
      feature({ code: 'l2', name: '2', parent_code: 'l1' }),
      feature({ code: 'l1', name: '1', parent_code: 'top' }),
    );
    const { records, errors } = parseGridFile('x.geojson', content);
    expect(errors).toEqual([]);
    expect(records.map((record) => record.code)).toEqual(['l1', 'l2', 'l3', 'm']);
  });
});

describe('parseGridFile: CSV', () => {
  it('rejects a bad header', () => {
    const { records, errors } = parseGridFile('g.csv', 'code,name,parentcode,name\nx,y,z,w\n');
    expect(records).toEqual([]);
    expect(errors).toEqual([
      { where: 'line 1', field: 'parentcode', message: expect.stringMatching(/Unknown column "parentcode"/) },
      { where: 'line 1', field: 'name', message: 'Duplicate column "name"' },
      { where: 'line 1', field: 'parent_code', message: 'Missing column "parent_code"' },
    ]);
  });

  it('reports every bad line by its line number', () => {
    const content = [
      'code,name,parent_code,households,level,wkt',
      'g1,第1网格,v1,abc,grid,',
      'g2,,v1,,,',
      '',
      'g3,"名称含',
      '换行",v1,-5,,',
      'g4,第4网格,v1,10,grid,"POLYGON((0 0, 1 0, 1 1))"',
      'g5,第5网格,v1,10,grid,POINT(1 2)',
      'g6,第6网格,v1',
      'g7,第7网格,v1,10,grid,"POLYGON((0 0, 1 0, 1 1, 0 0)"',
      'g8,第8网格,v1,10,grid,"POLYGON((0 0, 1 0, 1 x, 0 0))"',
    ].join('\r\n');
    const { records, errors } = parseGridFile('g.csv', content);
    expect(records).toEqual([]);
    expect(errors.map((error) => [error.where, error.field])).toEqual([
      ['line 2', 'households'],
      ['line 3', 'name'],
      ['line 5', 'households'],
      ['line 7', 'wkt'],
      ['line 8', 'wkt'],
      ['line 9', 'row'],
      ['line 10', 'wkt'],
      ['line 11', 'wkt'],
    ]);
    expect(errors[3]?.message).toBe('coordinates[0]: a ring needs at least 4 positions');
    expect(errors[4]?.message).toMatch(/Expected WKT POLYGON/);
    expect(errors[6]?.message).toMatch(/Invalid WKT/);
    expect(errors[7]?.message).toMatch(/"x" is not a number/);
  });

  it('reads good rows with and without geometry, in any column order', () => {
    const content = [
      '\uFEFFname,code,parent_code,wkt,households,level',
      '第1微网格,g1m1,g1,,,micro_grid',
      '第1网格,g1,330110005001,"POLYGON ((120 30, 120.01 30, 120.01 30.01, 120 30.01, 120 30), (120.004 30.004, 120.004 30.006, 120.006 30.006, 120.004 30.004))",180,grid',
      '第2网格,g2,330110005001,"multipolygon(((120 30,121 30,121 31,120 30)),((122 30,123 30,123 31,122 30)))",,',
    ].join('\n');
    const { records, errors } = parseGridFile('g.CSV', content);
    expect(errors).toEqual([]);
    expect(records.map((record) => record.code)).toEqual(['g1', 'g1m1', 'g2']);
    expect(records[0]).toEqual({
      code: 'g1',
      name: '第1网格',
      parentCode: '330110005001',
      households: 180,
      level: 'grid',
      geometry: {
        type: 'Polygon',
        coordinates: [
          SQUARE[0],
          [
            [120.004, 30.004],
            [120.004, 30.006],
            [120.006, 30.006],
            [120.004, 30.004],
          ],
        ],
      },
      where: 'line 3',
    });
    expect(records[1]).toMatchObject({
      geometry: null,
      households: null,
      level: 'micro_grid',
      where: 'line 2',
    });
    expect(records[2]?.geometry?.type).toBe('MultiPolygon');
    expect(records[2]?.geometry?.coordinates).toHaveLength(2);
  });

  it('accepts the minimal header', () => {
    const { records, errors } = parseGridFile('g.csv', 'code,name,parent_code\nA-1_x,网格,P\n');
    expect(errors).toEqual([]);
    expect(records).toEqual([
      {
        code: 'A-1_x',
        name: '网格',
        parentCode: 'P',
        households: null,
        level: null,
        geometry: null,
        where: 'line 2',
      },
    ]);
  });

  it('reports duplicates and cycles by line', () => {
    const content = 'code,name,parent_code\na,A,b\nb,B,a\nc,C,x\nc,C2,x\n';
    const { records, errors } = parseGridFile('g.csv', content);
    expect(records.map((record) => record.name)).toEqual(['C']);
    expect(errors.map((error) => [error.where, error.field])).toEqual([
      ['line 2', 'parent_code'],
      ['line 3', 'parent_code'],
      ['line 5', 'code'],
    ]);
  });
});
