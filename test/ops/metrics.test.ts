import { describe, expect, it } from 'vitest'
import { dataPoint, routeClass, statusClass, type RequestSample } from '../../src/ops/metrics'
import { bindings, callGateway } from './helpers'

const SAMPLE: RequestSample = {
  pathname: '/api/trading/swap',
  status: 429,
  durationMs: 12,
  policy: 'swap',
  origin: undefined,
  tier: 'BETA',
  limit: 'refused',
  cluster: 'devnet',
}

/** Records data points; the local Analytics Engine simulator accepts points but keeps none. */
function recordingDataset() {
  const points: AnalyticsEngineDataPoint[] = []
  const dataset: AnalyticsEngineDataset = { writeDataPoint: (point) => void points.push(point!) }
  return { points, dataset }
}

describe('metrics data point', () => {
  it('indexes the rate-limit policy', () => {
    expect(dataPoint(SAMPLE).indexes).toEqual(['swap'])
  })

  it('indexes the route class when no policy applies', () => {
    expect(dataPoint({ ...SAMPLE, pathname: '/_edge/health', policy: undefined }).indexes).toEqual([
      'health',
    ])
  })

  it('carries the blobs in their documented order', () => {
    expect(dataPoint(SAMPLE).blobs).toEqual(['proxy', '4xx', '', 'BETA', 'refused', 'devnet'])
  })

  it('carries duration and status as doubles', () => {
    expect(dataPoint(SAMPLE).doubles).toEqual([12, 429])
  })

  it('classifies the gateway routes', () => {
    const paths = ['/_edge/health/ready', '/_edge/siws/verify', '/_edge/rpc', '/_edge/x', '/a']
    expect(paths.map(routeClass)).toEqual(['health', 'siws', 'rpc', 'edge', 'proxy'])
  })

  it('classifies an out-of-range status as other', () => {
    expect(statusClass(99)).toBe('other')
  })
})

describe('metrics binding', () => {
  it('receives one data point per request', async () => {
    const { points, dataset } = recordingDataset()
    await callGateway('/api/items', {}, { METRICS: dataset })
    expect(points).toHaveLength(1)
  })

  it('records the origin a request went to', async () => {
    const { points, dataset } = recordingDataset()
    await callGateway('/api/items', {}, { METRICS: dataset })
    expect(points[0]?.blobs?.[2]).toBe('api')
  })

  it('is optional', async () => {
    const response = await callGateway('/_edge/health', {}, { METRICS: undefined })
    expect(response.status).toBe(200)
  })

  it('is bound from wrangler.toml', () => {
    expect(typeof bindings.METRICS?.writeDataPoint).toBe('function')
  })
})

describe('metrics index', () => {
  it('fits a long policy name into 96 bytes', () => {
    const index = String(dataPoint({ ...SAMPLE, policy: 'é'.repeat(60) }).indexes?.[0])
    expect(new TextEncoder().encode(index).length).toBe(96)
  })
})
