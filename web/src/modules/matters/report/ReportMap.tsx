import 'leaflet/dist/leaflet.css';
import { useQueries } from '@tanstack/react-query';
import type { FeatureCollection, Geometry } from 'geojson';
import L from 'leaflet';
import { useEffect, useRef } from 'react';
import { api } from '../../../api/client.ts';
import { usePublicConfig } from '../../../api/config.ts';
import { type GridFeatureProps, type GridGeometry, gridKeys, useGridRoots } from '../../../api/grids.ts';

const PIN_STYLE: L.CircleMarkerOptions = {
  radius: 10,
  color: '#fff',
  weight: 3,
  fillColor: '#dc2626',
  fillOpacity: 1,
};
const ACCURACY_STYLE: L.CircleOptions = {
  radius: 1,
  color: '#2563eb',
  weight: 1,
  fillColor: '#3b82f6',
  fillOpacity: 0.12,
};

/**
 * The caller's own grids (the roots of its scope and their children) to tap the place on. A tap or a
 * GPS fix puts the pin; `accuracy` (metres) draws the GPS circle.
 */
export function ReportMap({
  location,
  accuracy,
  onPick,
}: {
  location: [number, number] | null;
  accuracy: number | null;
  onPick: (lngLat: [number, number]) => void;
}) {
  const container = useRef<HTMLDivElement>(null);
  const mapRef = useRef<L.Map | null>(null);
  const pickRef = useRef(onPick);
  pickRef.current = onPick;
  const { data: config } = usePublicConfig();
  const tileUrl = config?.tileUrl ?? null;
  const roots = useGridRoots();
  const geometries = useQueries({
    queries: (roots.data ?? []).slice(0, 5).map((r) => ({
      queryKey: gridKeys.geometry(r.id),
      queryFn: () => api<GridGeometry>(`/grids/${r.id}/geometry`),
      staleTime: 5 * 60_000,
    })),
  });
  const shapes = geometries.map((g) => g.data).filter((g): g is GridGeometry => g !== undefined);
  const shapesKey = shapes.map((s) => s.features.length).join(',');
  const lng = location?.[0] ?? null;
  const lat = location?.[1] ?? null;

  useEffect(() => {
    const el = container.current;
    if (!el) return;
    const map = L.map(el, { attributionControl: false, center: [30.42, 119.98], zoom: 13, zoomSnap: 0.5 });
    mapRef.current = map;
    map.on('click', (e: L.LeafletMouseEvent) => pickRef.current([e.latlng.lng, e.latlng.lat]));
    const observer = new ResizeObserver(() => map.invalidateSize());
    observer.observe(el);
    return () => {
      observer.disconnect();
      map.remove();
      mapRef.current = null;
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

  // biome-ignore lint/correctness/useExhaustiveDependencies: redrawn when the set of shapes changes
  useEffect(() => {
    const map = mapRef.current;
    if (!map || shapes.length === 0) return;
    const layers = shapes.map((geometry) =>
      L.geoJSON(geometry as FeatureCollection<Geometry, GridFeatureProps>, {
        interactive: false,
        style: (f) =>
          (f?.properties as GridFeatureProps | undefined)?.self
            ? { color: '#1e3a8a', weight: 2.5, fill: false }
            : { color: '#2563eb', weight: 1, fillColor: '#3b82f6', fillOpacity: 0.08 },
      }).addTo(map),
    );
    const bounds = layers.reduce<L.LatLngBounds | null>((b, l) => {
      const lb = l.getBounds();
      if (!lb.isValid()) return b;
      return b ? b.extend(lb) : lb;
    }, null);
    if (bounds && lng === null) map.fitBounds(bounds, { padding: [12, 12] });
    return () => {
      for (const l of layers) l.remove();
    };
  }, [shapesKey]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map || lng === null || lat === null) return;
    const layers: L.Layer[] = [];
    if (accuracy && accuracy > 5)
      layers.push(L.circle([lat, lng], { ...ACCURACY_STYLE, radius: accuracy }).addTo(map));
    layers.push(L.circleMarker([lat, lng], PIN_STYLE).addTo(map));
    if (!map.getBounds().pad(-0.1).contains([lat, lng])) map.setView([lat, lng], Math.max(map.getZoom(), 16));
    return () => {
      for (const l of layers) l.remove();
    };
  }, [lng, lat, accuracy]);

  return (
    <div className="gg-map-wrap">
      <div
        ref={container}
        className={`gg-map-report${tileUrl ? '' : ' gg-map-plain'}`}
        data-testid="report-map"
      />
    </div>
  );
}
