import path from 'node:path'
import { DEFAULT_RUN_METHOD, FUSIONS, LABEL_DRAWS, PRESET_NAMES, RUN_METHODS, type LabelDraw, type PresetName, type RunDetail, type RunLabels, type RunMethod, type RunProgressEvent, type RunRequest } from '#shared/runs'
import { parseSetting } from '#main/training/run-config'
import { CliError, printJson, requireString, withBackend, type CliContext, type Command } from './command'
import { encoderOf, encoderOption, projectOf, projectOption } from './feature-options'
import { ProgressLine, timeLeft } from './progress-line'

/** `--labels 600 [--draw proportional]` or `--use-my-labels`. */
function labelsOf(ctx: CliContext): RunLabels {
  if (ctx.values['use-my-labels'] === true) {
    if (ctx.values.labels !== undefined) throw new CliError('give either --labels N or --use-my-labels, not both', 2)
    return { mode: 'current' }
  }
  const n = Number(requireString(ctx, 'labels'))
  if (!Number.isInteger(n) || n < 1) throw new CliError('--labels must be a whole number of at least 1 (or use --use-my-labels)', 2)
  const draw = (ctx.values.draw ?? 'per-class') as string
  if (!(LABEL_DRAWS as readonly string[]).includes(draw)) throw new CliError(`--draw must be one of ${LABEL_DRAWS.join(', ')}`, 2)
  return { mode: 'draw', n, draw: draw as LabelDraw }
}

function wholeNumber(ctx: CliContext, option: string): number | undefined {
  const raw = ctx.values[option]
  if (raw === undefined) return undefined
  const n = Number(raw)
  if (!Number.isInteger(n) || n < 0) throw new CliError(`--${option} must be a whole number`, 2)
  return n
}

/** `--set key=value`, repeatable; `--steps T` is `--set steps=T`. */
function overridesOf(ctx: CliContext): Record<string, number | string | boolean> {
  const raw = ctx.values.set as unknown as string[] | undefined
  const overrides: Record<string, number | string | boolean> = {}
  for (const item of raw ?? []) {
    const setting = parseSetting(item)
    if (!setting) throw new CliError(`--set ${item}: expected name=value (e.g. --set lr=0.01)`, 2)
    overrides[setting[0]] = setting[1]
  }
  const steps = wholeNumber(ctx, 'steps')
  if (steps !== undefined) overrides.steps = steps
  Object.assign(overrides, teacherOf(ctx.values.teacher as string | undefined), methodOptionsOf(ctx.values.ulgm as string | undefined, ctx.values['spp-scl-aux'] as string | undefined))
  const fusion = ctx.values.fusion as string | undefined
  if (fusion !== undefined) {
    if (!(FUSIONS as readonly string[]).includes(fusion)) throw new CliError(`--fusion ${fusion}: expected ${FUSIONS.join(' or ')}`, 2)
    overrides.fusion = fusion
  }
  return overrides
}

/** `--ulgm on|off` is `--set ulgm.mode=…`; `--spp-scl-aux W` is `--set scdr.sppSclWeight=W` (SCDR's SPP-SCL terms, 0 = off). */
export function methodOptionsOf(ulgm: string | undefined, sppSclAux: string | undefined): Record<string, number | string> {
  const out: Record<string, number | string> = {}
  if (ulgm !== undefined) {
    if (ulgm !== 'on' && ulgm !== 'off') throw new CliError(`--ulgm ${ulgm}: expected on or off`, 2)
    out['ulgm.mode'] = ulgm
  }
  if (sppSclAux !== undefined) {
    const weight = Number(sppSclAux)
    if (sppSclAux.trim() === '' || !Number.isFinite(weight) || weight < 0) throw new CliError(`--spp-scl-aux ${sppSclAux}: expected a weight ≥ 0 (0 = off)`, 2)
    out['scdr.sppSclWeight'] = weight
  }
  return out
}

/** `--teacher text|image|run:<id>|onnx:<folder>|off`: `--set teacher.source=…` (and `teacher.run` / `teacher.folder`) in one flag. */
export function teacherOf(raw: string | undefined): Record<string, number | string> {
  if (raw === undefined) return {}
  const run = /^run:(\d+)$/.exec(raw)
  if (run) return { 'teacher.source': 'run', 'teacher.run': Number(run[1]) }
  const onnx = /^onnx:(.+)$/.exec(raw)
  if (onnx) return { 'teacher.source': 'onnx', 'teacher.folder': path.resolve(onnx[1]!) }
  if (['text', 'image', 'off'].includes(raw)) return { 'teacher.source': raw }
  throw new CliError(`--teacher ${raw}: expected text, image, run:<run id>, onnx:<model folder> or off`, 2)
}

/** Where a plan's problem names a field of the app's request, the command line names the flag that sets it. */
const FLAG_OF: Record<string, string> = {
  labels: '--labels or --use-my-labels',
  'labels.n': '--labels',
  'overrides.teacher.run': '--teacher',
  'overrides.teacher.folder': '--teacher',
}
export function cliProblem({ field, message }: { field: string; message: string }): string {
  const flag = FLAG_OF[field]
  return flag && message.startsWith(`${field}: `) ? `${flag}: ${message.slice(field.length + 2)}` : message
}

async function requestOf(ctx: CliContext, projectId: number): Promise<RunRequest> {
  // What the launch dialog offers without a setting touched: the default method.
  const method = (ctx.values.method as string | undefined) ?? DEFAULT_RUN_METHOD
  if (!(RUN_METHODS as readonly string[]).includes(method)) throw new CliError(`--method must be one of ${RUN_METHODS.join(', ')}`, 2)
  const preset = (ctx.values.preset as string | undefined) ?? 'default'
  if (!(PRESET_NAMES as readonly string[]).includes(preset)) throw new CliError(`--preset must be one of ${PRESET_NAMES.join(', ')}`, 2)
  const seed = wholeNumber(ctx, 'seed')
  return {
    projectId,
    method: method as RunMethod,
    preset: preset as PresetName,
    labels: labelsOf(ctx),
    encoder: await encoderOf(ctx),
    ...(seed !== undefined ? { seed } : {}),
    overrides: overridesOf(ctx),
  }
}

const pct = (x: number | undefined): string => (x === undefined ? '–' : `${(100 * x).toFixed(1)}%`)

function printRun(run: RunDetail): void {
  const line = (split: 'val' | 'test'): string => {
    const m = run.metrics[split]
    return m ? `${split.padEnd(4)} accuracy ${pct(m.accuracy)} · weighted F1 ${pct(m.weightedF1)} · macro F1 ${pct(m.macroF1)}` : `${split.padEnd(4)} (no posts)`
  }
  console.log(`Run #${run.id}: ${run.method} (${run.preset}), ${run.status} after ${run.step}/${run.steps} steps in ${((run.elapsedMs ?? 0) / 1000).toFixed(1)} s on ${run.backend ?? '?'}`)
  const tgf = run.config.fusion === 'text-guided' ? run.config.tgf : null
  if (tgf) console.log(`  fusion: text-guided (our reading of SETGF's TGFM: text queries ${tgf.grid}×${tgf.grid} image regions, ${tgf.heads} heads in ${tgf.dim} dims, ${tgf.combine})`)
  if (run.status === 'done') {
    console.log(`  ${line('test')}\n  ${line('val')}`)
    console.log(`  model selected at step ${run.metrics.step ?? '?'}; labels used: ${run.labels.total} (per class ${run.labels.perClass.negative}/${run.labels.perClass.neutral}/${run.labels.perClass.positive} negative/neutral/positive)`)
    const t = run.teacher
    if (t) console.log(`  teacher (${t.source}, ${t.filter} filter, ${t.targets} targets): labeled ${t.kept.join('/')} of ${t.posts} posts (negative/neutral/positive); right on ${pct(t.accuracy ?? undefined)} of the ${t.known} with a known label`)
    if (t?.model) console.log(`  teacher model: ${t.model.folder} (model.onnx sha256 ${t.model.sha256}; classes ${t.model.labels.join('/')})`)
  }
  if (run.error) console.log(`  ${run.error}`)
  if (run.status === 'cancelled') console.log(`  Resume it with: common-ground train --resume ${run.id}`)
}

/** What `train --json` prints: the metrics a comparison needs, flat. */
function jsonOf(run: RunDetail, elapsedWallMs: number) {
  const scores = (split: 'val' | 'test') => {
    const m = run.metrics[split]
    return m ? { accuracy: m.accuracy, weightedF1: m.weightedF1, macroF1: m.macroF1 } : null
  }
  return {
    ok: run.status === 'done',
    outcome: run.status,
    runId: run.id,
    projectId: run.projectId,
    method: run.method,
    preset: run.preset,
    seed: run.seed,
    steps: run.steps,
    step: run.step,
    selectedStep: run.metrics.step ?? null,
    backend: run.backend,
    backendReason: run.backendReason,
    labels: run.labels,
    test: scores('test'),
    val: scores('val'),
    elapsedMs: run.elapsedMs,
    wallMs: elapsedWallMs,
    error: run.error,
    teacher: run.teacher ?? null,
  }
}

export const trainCommand: Command = {
  usage:
    '--project NAME [--method M (default self-training)] (--labels N [--draw per-class|proportional] | --use-my-labels) [--seed S] [--steps T] [--preset P] [--encoder ID] [--teacher text|image|run:ID|onnx:DIR|off] [--ulgm on|off] [--spp-scl-aux W] [--fusion concat|text-guided (tgf.grid, tgf.heads, tgf.dim, tgf.combine by --set)] [--set key=value ...] | --resume RUN_ID',
  summary: 'Train a model on the cached features (self-training, supervised, fixmatch, flexmatch, scdr, spp-scl) and print its metrics',
  options: {
    ...projectOption,
    ...encoderOption,
    method: { type: 'string' },
    labels: { type: 'string' },
    draw: { type: 'string' },
    'use-my-labels': { type: 'boolean' },
    seed: { type: 'string' },
    steps: { type: 'string' },
    preset: { type: 'string' },
    set: { type: 'string', multiple: true },
    teacher: { type: 'string' },
    fusion: { type: 'string' },
    ulgm: { type: 'string' },
    'spp-scl-aux': { type: 'string' },
    resume: { type: 'string' },
  },
  async run(ctx) {
    const started = Date.now()
    return withBackend(ctx, async ({ store, runs, events }) => {
      let runId: number
      if (ctx.values.resume !== undefined) {
        runId = Number(ctx.values.resume)
        if (!Number.isInteger(runId) || runId < 1) throw new CliError('--resume must be a run id', 2)
        if (!store.runs.exists(runId)) throw new CliError(`no run with id ${runId} in ${store.path}`)
        runId = await runs.resume(runId)
      } else {
        const project = projectOf(ctx, store)
        const request = await requestOf(ctx, project.id)
        // Problems found before anything starts, each naming its field or what to run first.
        const plan = await runs.plan(request)
        if (!plan.ok) throw new CliError(plan.problems.map((p) => cliProblem(p).replace('--project <name>', `--project ${project.name}`)).join('\n'))
        runId = await runs.start(request)
      }
      const progress = new ProgressLine(!ctx.json)
      const unsubscribe = events.subscribe((event, payload) => {
        if (event !== 'runs.progress') return
        const p = payload as RunProgressEvent
        if (p.runId !== runId) return
        if (p.phase !== 'training') return progress.show(`run #${runId}: ${p.phase}…`)
        const latest = p.points.findLast((point) => point.series === 'loss')
        const loss = latest ? ` · loss ${latest.value.toFixed(3)}` : ''
        progress.show(`run #${runId}: step ${p.step}/${p.steps}${loss}${timeLeft(p.etaMs)}`)
      })
      // Ctrl+C: the trainer stops after its step and keeps a checkpoint; `--resume` continues it.
      const onSignal = (): void => void runs.cancel(runId)
      process.once('SIGINT', onSignal)
      try {
        await runs.whenFinished(runId)
      } finally {
        progress.clear()
        unsubscribe()
        process.off('SIGINT', onSignal)
      }
      const run = runs.get(runId)
      if (ctx.json) printJson(jsonOf(run, Date.now() - started))
      else printRun(run)
      return run.status === 'done' ? 0 : 1
    })
  },
}
