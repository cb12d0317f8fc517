import type { AnnotationEvent, DataFrame } from '@grafana/data';

/**
 * Grafana shows an annotation's text as (sanitised) HTML; the probe's words are text, so the characters
 * that would start markup are escaped and a summary naming `<img …>` reads as written instead of loading.
 */
function asText(v: unknown): unknown {
  return typeof v === 'string' ? v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;') : v;
}

/**
 * One annotation per incident, read from the frame `incidentsFrame` builds: its span (an open incident up
 * to now), the verdict as title, the evidence as text, legs and suspects as tags.
 */
export function annotationsFromFrames(frames: readonly DataFrame[]): AnnotationEvent[] {
  const out: AnnotationEvent[] = [];
  for (const frame of frames) {
    if (frame.name !== 'incidents') {
      continue;
    }
    const col = (name: string) => frame.fields.find((f) => f.name === name)?.values ?? [];
    const [time, timeEnd, title, text, tags, id] = ['time', 'timeEnd', 'title', 'text', 'tags', 'id'].map(col);
    for (let i = 0; i < frame.length; i++) {
      out.push({
        id: id?.[i],
        time: time?.[i],
        timeEnd: timeEnd?.[i],
        isRegion: true,
        title: title?.[i],
        text: asText(text?.[i]) as string | undefined,
        tags: tags?.[i],
      });
    }
  }
  return out;
}
