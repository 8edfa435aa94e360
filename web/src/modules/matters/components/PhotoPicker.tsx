import { CameraOutlined, CloseOutlined } from '@ant-design/icons';
import { Button, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { shrinkPhoto } from '../images.ts';

export const MAX_PHOTOS = 9;
/** Inline, because antd's form styles show file inputs as blocks. */
const HIDDEN = { display: 'none' } as const;

/** Object URLs for previews, revoked when the files change or the picker goes away. */
export function usePreviews(files: readonly Blob[]): string[] {
  const [urls, setUrls] = useState<string[]>([]);
  useEffect(() => {
    const made = files.map((f) => URL.createObjectURL(f));
    setUrls(made);
    return () => {
      for (const u of made) URL.revokeObjectURL(u);
    };
  }, [files]);
  return urls;
}

/**
 * Several photos, from the camera (`capture`) or the gallery, scaled down before they are kept. The
 * input is a real `<input type="file">`, so that tests can set files on it.
 */
export function PhotoPicker({
  value = [],
  onChange,
  capture = false,
  testId,
}: {
  value?: File[];
  onChange?: (files: File[]) => void;
  capture?: boolean;
  testId?: string;
}) {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  const previews = usePreviews(value);
  const [busy, setBusy] = useState(false);

  const add = async (list: FileList | null) => {
    if (!list || list.length === 0) return;
    setBusy(true);
    try {
      const picked = await Promise.all(Array.from(list).map(shrinkPhoto));
      onChange?.([...value, ...picked].slice(0, MAX_PHOTOS));
    } finally {
      setBusy(false);
      if (input.current) input.current.value = '';
    }
  };

  return (
    <div className="gg-photos">
      {previews.map((url, i) => (
        <div className="gg-photo" key={url}>
          <img src={url} alt={t('photo.alt', { n: i + 1 })} />
          <button
            type="button"
            className="gg-photo-remove"
            aria-label={t('photo.remove')}
            onClick={() => onChange?.(value.filter((_, j) => j !== i))}
          >
            <CloseOutlined />
          </button>
        </div>
      ))}
      {value.length < MAX_PHOTOS && (
        <Button
          className="gg-photo-add"
          icon={<CameraOutlined />}
          loading={busy}
          onClick={() => input.current?.click()}
        >
          {t('photo.add')}
        </Button>
      )}
      <input
        ref={input}
        type="file"
        accept="image/*"
        capture={capture ? 'environment' : undefined}
        multiple
        style={HIDDEN}
        data-testid={testId}
        onChange={(e) => void add(e.target.files)}
      />
      {value.length > 0 && (
        <Typography.Text type="secondary" className="gg-small gg-photos-count">
          {t('photo.count', { n: value.length, max: MAX_PHOTOS })}
        </Typography.Text>
      )}
    </div>
  );
}
