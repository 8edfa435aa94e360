import 'leaflet/dist/leaflet.css';
import { Spin, Tag } from 'antd';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import L from 'leaflet';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { type GridFeatureProps, useGridGeometry } from '../../../api/grids.ts';

const PALETTE = ['#2563eb', '#059669', '#d97706', '#7c3aed', '#dc2626', '#0891b2', '#db2777', '#65a30d'];
/** Beyond this many children, names show on hover only. */
const MAX_LABELS = 40;
/** 余杭区, for an empty map before the first geometry arrives. */
const DEFAULT_VIEW: L.LatLngExpression = [30.42, 119.98];

/** Hides the permanent name of a child whose shape is narrower than its name at this zoom. */
function fitLabels(map: L.Map, layer: L.GeoJSON): void {
  layer.eachLayer((l) => {
    const path = l as L.Polygon;
    const label = path.getTooltip?.()?.getElement();
    if (!label || !path.getBounds) return;
    const b = path.getBounds();
    const nw = map.latLngToContainerPoint(b.getNorthWest());
    const se = map.latLngToContainerPoint(b.getSouthEast());
    const fits = label.offsetWidth <= se.x - nw.x - 4 && label.offsetHeight <= se.y - nw.y - 2;
    label.style.visibility = fits ? '' : 'hidden';
  });
}

interface Props {
  gridId: number | null;
  tileUrl: string | null;
  onSelect: (id: number) => void;
}

/**
 * The selected node's boundary and its children's, on a plain background unless a tile server is
 * configured. Clicking a child drills down.
 */
export function GridMap({ gridId, tileUrl, onSelect }: Props) {
  const { t } = useTranslation();
  const container = useRef<HTMLDivElement>(null);
  const mapRef = useRef<L.Map | null>(null);
  const layerRef = useRef<L.GeoJSON | null>(null);
  const selectRef = useRef(onSelect);
  selectRef.current = onSelect;
  const { data: geometry, isFetching } = useGridGeometry(gridId);

  useEffect(() => {
    const el = container.current;
    if (!el) return;
    const map = L.map(el, { zoomSnap: 0.25, attributionControl: false, center: DEFAULT_VIEW, zoom: 10 });
    mapRef.current = map;
    const observer = new ResizeObserver(() => map.invalidateSize());
    observer.observe(el);
    return () => {
      observer.disconnect();
      map.remove();
      mapRef.current = null;
      layerRef.current = null;
    };
  }, []);

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !tileUrl) return;
    const tiles = L.tileLayer(tileUrl, { maxZoom: 19 }).addTo(map);
    return () => {
      tiles.remove();
    };
  }, [tileUrl]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    layerRef.current?.remove();
    layerRef.current = null;
    if (!geometry) return;
    const children = geometry.features.filter((f) => !f.properties.self);
    const childCount = children.length;
    const hasChildren = childCount > 0;
    const colors = new Map(children.map((f, i) => [f.properties.id, PALETTE[i % PALETTE.length]]));
    const layer = L.geoJSON(geometry as FeatureCollection<Geometry, GridFeatureProps>, {
      style: (feature) => {
        const props = feature?.properties as GridFeatureProps | undefined;
        if (props?.self) {
          return {
            color: '#1e3a8a',
            weight: 3,
            fill: !hasChildren,
            fillColor: '#3b82f6',
            fillOpacity: 0.15,
          };
        }
        const color = props ? colors.get(props.id) : PALETTE[0];
        return { color, weight: 1.5, fillColor: color, fillOpacity: 0.22 };
      },
      onEachFeature: (feature: Feature<Geometry, GridFeatureProps>, path) => {
        const props = feature.properties;
        if (props.self) {
          if (!hasChildren) path.bindTooltip(props.name, { sticky: true });
          return;
        }
        path.bindTooltip(props.name, {
          permanent: childCount <= MAX_LABELS,
          direction: 'center',
          className: 'gg-map-label',
        });
        path.on('click', () => selectRef.current(props.id));
        path.on('mouseover', () => {
          (path as L.Path).setStyle({ fillOpacity: 0.45, weight: 2.5 });
          const label = path.getTooltip()?.getElement();
          if (label) label.style.visibility = '';
        });
        path.on('mouseout', () => {
          layer.resetStyle(path as L.Path);
          fitLabels(map, layer);
        });
      },
    });
    layer.addTo(map);
    // The outline goes under the children, so that they take the clicks.
    layer.eachLayer((l) => {
      const props = (l as L.Layer & { feature?: Feature<Geometry, GridFeatureProps> }).feature?.properties;
      if (props?.self) (l as L.Path).bringToBack();
    });
    layerRef.current = layer;
    const bounds = layer.getBounds();
    if (bounds.isValid()) map.fitBounds(bounds, { padding: [16, 16] });
    const refit = () => fitLabels(map, layer);
    refit();
    map.on('zoomend resize', refit);
    return () => {
      map.off('zoomend resize', refit);
    };
  }, [geometry]);

  const synthetic = geometry?.features.some((f) => f.properties.synthetic) ?? false;
  const empty = geometry !== undefined && !geometry.features.some((f) => f.geometry);

  return (
    <div className="gg-map-wrap">
      <div ref={container} className={`gg-map${tileUrl ? '' : ' gg-map-plain'}`} data-testid="grid-map" />
      <div className="gg-map-badges">
        {synthetic && (
          <Tag color="gold" data-testid="grid-map-synthetic">
            {t('grid.synthetic')}
          </Tag>
        )}
        {isFetching && <Spin size="small" />}
      </div>
      {empty && <div className="gg-map-empty">{t('grid.noGeometry')}</div>}
    </div>
  );
}
