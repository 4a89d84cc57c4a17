/** The small part of autocannon's API the bench uses; the package ships no types. */
declare module 'autocannon' {
  interface Options {
    /** Several servers: the connections are spread across them. */
    url: string | string[]
    /** Requests each connection sends in turn (paths on the server it is connected to). */
    requests?: { path: string; method?: string }[]
    /** Requests a second across all connections; unlimited when absent. */
    overallRate?: number
    connections?: number
    /** Seconds. */
    duration?: number
    pipelining?: number
    timeout?: number
  }
  interface Histogram {
    average: number
    p50: number
    p99: number
    total: number
  }
  interface Result {
    duration: number
    errors: number
    timeouts: number
    non2xx: number
    /** Responses by status code, e.g. `{ '200': { count: 10 } }`. */
    statusCodeStats?: Record<string, { count: number }>
    latency: Histogram
    requests: Histogram
  }
  function autocannon(options: Options): Promise<Result>
  export default autocannon
}
