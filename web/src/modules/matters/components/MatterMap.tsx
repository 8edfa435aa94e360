import 'leaflet/dist/leaflet.css';
import type { FeatureCollection, Geometry } from 'geojson';
import L from 'leaflet';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { usePublicConfig } from '../../../api/config.ts';
import { type GridFeatureProps, useGridGeometry } from '../../../api/grids.ts';

const PIN_STYLE: L.CircleMarkerOptions = {
  radius: 9,
  color: '#fff',
  weight: 3,
  fillColor: '#dc2626',
  fillOpacity: 1,
};

/**
 * The place of a matter: its grid's boundary and a pin, on a plain background unless a tile server is
 * configured. Without a location, the grid alone.
 */
export function MatterMap({ gridId, location }: { gridId: number; location: [number, number] | null }) {
  const lng = location?.[0] ?? null;
  const lat = location?.[1] ?? null;
  const { t } = useTranslation();
  const container = useRef<HTMLDivElement>(null);
  const mapRef = useRef<L.Map | null>(null);
  const { data: config } = usePublicConfig();
  const tileUrl = config?.tileUrl ?? null;
  const { data: geometry } = useGridGeometry(gridId);

  useEffect(() => {
    const el = container.current;
    if (!el) return;
    const map = L.map(el, {
      attributionControl: false,
      zoomControl: true,
      scrollWheelZoom: false,
      center: [30.42, 119.98],
      zoom: 15,
    });
    mapRef.current = map;
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

  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    const layers: L.Layer[] = [];
    const self = geometry?.features.filter((f) => f.properties.self) ?? [];
    let bounds: L.LatLngBounds | null = null;
    if (self.length) {
      const outline = L.geoJSON(
        { type: 'FeatureCollection', features: self } as FeatureCollection<Geometry, GridFeatureProps>,
        {
          style: { color: '#1e3a8a', weight: 2, fillColor: '#3b82f6', fillOpacity: 0.08 },
          interactive: false,
        },
      ).addTo(map);
      layers.push(outline);
      bounds = outline.getBounds();
    }
    if (lng !== null && lat !== null) {
      const pin = L.circleMarker([lat, lng], PIN_STYLE).addTo(map);
      layers.push(pin);
      bounds = bounds?.isValid() ? bounds.extend(pin.getLatLng()) : L.latLngBounds([pin.getLatLng()]);
    }
    if (bounds?.isValid()) map.fitBounds(bounds, { padding: [20, 20], maxZoom: 17 });
    return () => {
      for (const l of layers) l.remove();
    };
  }, [geometry, lng, lat]);

  return (
    <div className="gg-map-wrap">
      <div
        ref={container}
        className={`gg-map-small${tileUrl ? '' : ' gg-map-plain'}`}
        data-testid="matter-map"
      />
      {!location && <div className="gg-map-note">{t('matter.noLocation')}</div>}
    </div>
  );
}
