import { Hono } from 'hono'
import type { AppEnv } from '../types'

// Placeholder until the SIWS module lands.
export const siwsRoutes = new Hono<AppEnv>()
