/**
 * Media library uploads: how long one picture takes to become its variants
 * (AVIF, WebP and a fallback at every width), and what the variants weigh,
 * for photographs of three sizes. Pictures are made here by sharp (blurred
 * noise, which compresses about like a photograph); nothing is downloaded.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import sharp from 'sharp'
import { defineConfig } from '../src/server/config.ts'
import { buildContainer } from '../src/server/container.ts'

export interface MediaRow {
  size: string
  inputKilobytes: number
  uploads: number
  medianMs: number
  maxMs: number
  /** Processor time (all threads) of the median upload: steadier than wall time on a busy machine. */
  medianCpuMs: number
  variants: number
  variantKilobytes: number
  /** Bytes of the 1280-wide variant in each format, in KB. */
  at1280: Record<string, number>
}

const SIZES = [
  [1600, 1067],
  [2400, 1600],
  [4000, 3000],
] as const

async function photograph(width: number, height: number): Promise<Uint8Array> {
  const bytes = await sharp({ create: { width, height, channels: 3, background: '#556677', noise: { type: 'gaussian', mean: 120, sigma: 25 } } })
    .blur(1.2)
    .jpeg({ quality: 85 })
    .toBuffer()
  return new Uint8Array(bytes)
}

/** Uploads each size `uploads` times into a fresh SQLite library and prints a table. */
export async function runMediaBench(options: { uploads: number }): Promise<MediaRow[]> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'masthead-bench-media-'))
  const container = await buildContainer(defineConfig({ dataDir, loadDemo: false, logLevel: 'silent' }))
  const rows: MediaRow[] = []
  try {
    const { error } = await container.database.migrate()
    if (error) throw error
    for (const [width, height] of SIZES) {
      const bytes = await photograph(width, height)
      const times: number[] = []
      const cpu: number[] = []
      let last = null
      for (let i = 0; i < options.uploads; i++) {
        const started = performance.now()
        const cpuStart = process.cpuUsage()
        last = await container.media.upload({ bytes, fileName: `bench-${width}.jpg`, declaredType: 'image/jpeg', alt: 'Bench picture' }, { userId: null })
        const used = process.cpuUsage(cpuStart)
        cpu.push((used.user + used.system) / 1000)
        times.push(performance.now() - started)
      }
      times.sort((a, b) => a - b)
      cpu.sort((a, b) => a - b)
      rows.push({
        size: `${width} × ${height}`,
        inputKilobytes: Math.round(bytes.length / 1024),
        uploads: options.uploads,
        medianMs: Math.round(times[Math.floor(times.length / 2)]!),
        maxMs: Math.round(times[times.length - 1]!),
        medianCpuMs: Math.round(cpu[Math.floor(cpu.length / 2)]!),
        variants: last!.variants.length,
        variantKilobytes: Math.round(last!.variants.reduce((sum, v) => sum + v.byteLength, 0) / 1024),
        at1280: Object.fromEntries(last!.variants.filter((v) => v.width === 1280).map((v) => [v.format, Math.round(v.byteLength / 1024)])),
      })
    }
  } finally {
    await container.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
  console.log('')
  console.log(`Media uploads (${os.cpus().length} CPUs, ${options.uploads} uploads per size)`)
  console.log('picture       | input KB | median ms | max ms | CPU ms | variants | variants KB | 1280 px: avif / webp / jpeg KB')
  for (const r of rows) {
    console.log(
      `${r.size.padEnd(13)} | ${String(r.inputKilobytes).padStart(8)} | ${String(r.medianMs).padStart(9)} | ${String(r.maxMs).padStart(6)} | ${String(r.medianCpuMs).padStart(6)} | ${String(r.variants).padStart(8)} | ${String(r.variantKilobytes).padStart(11)} | ${r.at1280.avif ?? '-'} / ${r.at1280.webp ?? '-'} / ${r.at1280.jpeg ?? '-'}`,
    )
  }
  return rows
}
