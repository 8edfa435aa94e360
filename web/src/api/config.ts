import type { PublicConfig as PublicConfigSchema } from '@gridgov/common/schemas/grids';
import type { Static } from '@sinclair/typebox';
import { useQuery } from '@tanstack/react-query';
import { api } from './client.ts';

export type PublicConfig = Static<typeof PublicConfigSchema>;

/** `GET /api/config` is public; a missing endpoint means "no tiles, not a demo". */
export function usePublicConfig() {
  return useQuery({
    queryKey: ['config'],
    queryFn: () =>
      api<PublicConfig>('/config', { ignoreUnauthorized: true }).catch(
        (): PublicConfig => ({ tileUrl: null, demo: false }),
      ),
    staleTime: Number.POSITIVE_INFINITY,
  });
}
