import { DurableObject } from 'cloudflare:workers'

// Placeholder until the limits module lands.
export class RateLimiter extends DurableObject {}
