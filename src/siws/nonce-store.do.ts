import { DurableObject } from 'cloudflare:workers'

// Placeholder until the SIWS module lands.
export class NonceStore extends DurableObject {}
