import type { ChatMessage } from '@/lib/protocol/v1.gen';

/** A position in seconds (`systemData.position`) for people: `1:05`, `1:23:10`. */
export function formatPosition(seconds: number): string {
  const total = Math.max(0, Math.floor(seconds));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const ss = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${ss}` : `${minutes}:${ss}`;
}

function formatRate(value: string | undefined): string | null {
  const rate = Number(value);
  return value === undefined || !Number.isFinite(rate) ? null : `${Number(rate.toFixed(2))}×`;
}

/**
 * What a system message says ("ann paused", "bob jumped to 1:23:10", "Kim joined"), from its
 * kind, the person it is about (`authorName`; empty when the room itself acted, e.g. pausing while
 * the owner is away) and its data (docs/api/chat.md, "Messages").
 */
export function systemText(message: Pick<ChatMessage, 'systemKind' | 'authorName' | 'systemData'>): string {
  const name = message.authorName.trim();
  const who = name === '' ? 'Someone' : name;
  const data = message.systemData;
  switch (message.systemKind) {
    case 'join':
      return data.memberKind === 'guest' ? `${who} joined as a guest` : `${who} joined`;
    case 'leave':
      return `${who} left`;
    case 'kicked':
      return `${who} was removed from the room`;
    case 'banned':
      return `${who} was banned from the room`;
    case 'play':
      return name === '' ? 'Playback resumed' : `${name} pressed play`;
    case 'pause':
      return name === '' ? 'Playback paused' : `${name} paused`;
    case 'seek': {
      const position = Number(data.position);
      const where = data.position !== undefined && Number.isFinite(position) ? ` to ${formatPosition(position)}` : '';
      return name === '' ? `Playback jumped${where}` : `${name} jumped${where}`;
    }
    case 'rate': {
      const rate = formatRate(data.rate);
      const to = rate === null ? '' : ` to ${rate}`;
      return name === '' ? `Speed changed${to}` : `${name} set the speed${to}`;
    }
    case 'source': {
      const title = data.title?.trim() ?? '';
      const what = title === '' ? 'the video' : `the video to “${title}”`;
      return name === '' ? `The video changed${title === '' ? '' : ` to “${title}”`}` : `${name} changed ${what}`;
    }
    default:
      return name === '' ? 'Something changed in the room' : `${name} did something in the room`;
  }
}
