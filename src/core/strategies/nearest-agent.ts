// Nearest agent: the agent closest to the customer by great-circle distance
// (haversine formula on a sphere of the Earth's mean radius). Agents without
// a location come after every located one; without the customer's location
// nobody is nearer, and the least loaded come first. Equal distances: idle
// the longest first.
import { idle, load, rankBy, topBy, type Key } from './order.js';
import type { Candidate, ConversationView, GeoPoint, Strategy, TopStrategy } from './types.js';

const EARTH_RADIUS_KM = 6371.0088;
const rad = (deg: number) => (deg * Math.PI) / 180;

/** Great-circle distance in kilometres. */
export function distanceKm(a: GeoPoint, b: GeoPoint): number {
  const dLat = rad(b.lat - a.lat), dLon = rad(b.lon - a.lon);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

const distanceFrom = (conversation: ConversationView): Key => {
  const here = conversation.location;
  return (a: Candidate) => (here && a.location ? distanceKm(here, a.location) : Infinity);
};

export const nearestAgent: Strategy = (candidates, conversation) => rankBy(candidates, distanceFrom(conversation), load, idle);
export const nearestAgentTop: TopStrategy = (candidates, conversation, _now, n) => topBy(n, candidates, distanceFrom(conversation), load, idle);
