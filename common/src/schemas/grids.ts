import { type Static, Type } from '@sinclair/typebox';
import { Text } from './common.ts';

export const GRID_LEVELS = ['city', 'county', 'town', 'village', 'grid', 'micro_grid'] as const;
export type GridLevel = (typeof GRID_LEVELS)[number];
export const GridLevelSchema = Type.Union(GRID_LEVELS.map((l) => Type.Literal(l)));

export const GRID_DUTIES = ['grid_worker', 'liaison', 'leader'] as const;
export type GridDuty = (typeof GRID_DUTIES)[number];

const LngLat = Type.Tuple([
  Type.Number({ minimum: -180, maximum: 180 }),
  Type.Number({ minimum: -90, maximum: 90 }),
]);
const Position = Type.Array(Type.Number(), { minItems: 2, maxItems: 3 });
const Ring = Type.Array(Position, { minItems: 4, maxItems: 20_000 });
export const PolygonSchema = Type.Union([
  Type.Object({
    type: Type.Literal('Polygon'),
    coordinates: Type.Array(Ring, { minItems: 1, maxItems: 100 }),
  }),
  Type.Object({
    type: Type.Literal('MultiPolygon'),
    coordinates: Type.Array(Type.Array(Ring, { minItems: 1, maxItems: 100 }), { minItems: 1, maxItems: 100 }),
  }),
]);
export type GridPolygon = Static<typeof PolygonSchema>;

export const GridLevelInfo = Type.Object({
  depth: Type.Integer(),
  level: GridLevelSchema,
  nameZh: Type.String(),
  nameEn: Type.String(),
});
export type GridLevelInfo = Static<typeof GridLevelInfo>;

export const GridNode = Type.Object({
  id: Type.Integer(),
  parentId: Type.Union([Type.Integer(), Type.Null()]),
  code: Type.String(),
  name: Type.String(),
  level: GridLevelSchema,
  depth: Type.Integer(),
  households: Type.Integer(),
  childCount: Type.Integer(),
  centroid: Type.Union([LngLat, Type.Null()]),
  synthetic: Type.Boolean(),
});
export type GridNode = Static<typeof GridNode>;

export const GridDetail = Type.Intersect([
  GridNode,
  Type.Object({
    path: Type.String(),
    polygon: Type.Union([PolygonSchema, Type.Null()]),
    ancestors: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String(), level: GridLevelSchema })),
    staff: Type.Array(
      Type.Object({
        accountId: Type.Integer(),
        displayName: Type.String(),
        duty: Type.Union(GRID_DUTIES.map((d) => Type.Literal(d))),
      }),
    ),
    abilities: Type.Object({ update: Type.Boolean(), addChild: Type.Boolean(), manageStaff: Type.Boolean() }),
  }),
]);
export type GridDetail = Static<typeof GridDetail>;

export const GridCode = Type.String({ minLength: 1, maxLength: 32, pattern: '^[0-9A-Za-z_-]+$' });

export const CreateGridBody = Type.Object(
  {
    parentId: Type.Integer({ minimum: 1 }),
    code: GridCode,
    name: Text(64),
    households: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000 })),
    polygon: Type.Optional(PolygonSchema),
  },
  { additionalProperties: false },
);
export type CreateGridBody = Static<typeof CreateGridBody>;

export const UpdateGridBody = Type.Object(
  {
    name: Type.Optional(Text(64)),
    households: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000 })),
    polygon: Type.Optional(Type.Union([PolygonSchema, Type.Null()])),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateGridBody = Static<typeof UpdateGridBody>;

export const StaffBody = Type.Object(
  {
    staff: Type.Array(
      Type.Object(
        {
          accountId: Type.Integer({ minimum: 1 }),
          duty: Type.Union(GRID_DUTIES.map((d) => Type.Literal(d))),
        },
        { additionalProperties: false },
      ),
      { maxItems: 50 },
    ),
  },
  { additionalProperties: false },
);
export type StaffBody = Static<typeof StaffBody>;

export const SearchQuery = Type.Object({ q: Text(64) }, { additionalProperties: false });
export const LookupQuery = Type.Object(
  { lng: Type.Number({ minimum: -180, maximum: 180 }), lat: Type.Number({ minimum: -90, maximum: 90 }) },
  { additionalProperties: false },
);

export const GeometryCollection = Type.Object({
  type: Type.Literal('FeatureCollection'),
  features: Type.Array(
    Type.Object({
      type: Type.Literal('Feature'),
      geometry: PolygonSchema,
      properties: Type.Object({
        id: Type.Integer(),
        name: Type.String(),
        code: Type.String(),
        level: GridLevelSchema,
        households: Type.Integer(),
        synthetic: Type.Boolean(),
        self: Type.Boolean(),
      }),
    }),
  ),
});
export type GeometryCollection = Static<typeof GeometryCollection>;

export const PublicConfig = Type.Object({
  tileUrl: Type.Union([Type.String(), Type.Null()]),
  demo: Type.Boolean(),
});
