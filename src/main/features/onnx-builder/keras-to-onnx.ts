// Converts a Keras functional model (TensorFlow.js layers JSON + float32 weights) into an ONNX graph
// that onnxruntime runs an order of magnitude faster than tfjs-wasm (docs/ARCHITECTURE.md, "Features:
// encoders"). Only the layers MobileNet-style networks use are supported; anything else is refused
// by name rather than converted approximately. The graph takes NCHW input, as ONNX convolutions do,
// and keeps Keras's channels-last meaning at the one place it shows: Flatten.
import { floatTensor, int64Tensor, node, valueInfo, type GraphSpec, type Node } from './proto'

export interface KerasLayer {
  class_name: string
  name: string
  config: Record<string, unknown>
  /** One entry per call of the layer; each lists [layer, node index, tensor index, kwargs]. */
  inbound_nodes: Array<Array<[string, number, number, unknown]>>
}

export interface Weight {
  shape: number[]
  values: Float32Array
}

interface Context {
  layer: KerasLayer
  inputs: string[]
  emit(n: Node): void
  weight(param: string): Weight
  constant(name: string, values: Float32Array, dims: number[]): string
  int64Constant(name: string, values: number[]): string
  scalar(value: number): string
}

type Converter = (ctx: Context) => void

const pair = (value: unknown, what: string): [number, number] => {
  if (Array.isArray(value) && value.length === 2 && value.every(Number.isInteger)) return [value[0] as number, value[1] as number]
  throw new Error(`${what}: expected two integers, got ${JSON.stringify(value)}`)
}

function requireConfig(ctx: Context, key: string, allowed: unknown[]): void {
  const value = ctx.layer.config[key]
  if (!allowed.some((a) => JSON.stringify(a) === JSON.stringify(value))) {
    throw new Error(`layer ${ctx.layer.name} (${ctx.layer.class_name}): ${key} = ${JSON.stringify(value)} is not supported`)
  }
}

/** `values` (row-major, `shape`) with its axes reordered so that output axis i is input axis perm[i]. */
export function permute(values: Float32Array, shape: readonly number[], perm: readonly number[]): Float32Array {
  const outShape = perm.map((p) => shape[p]!)
  const inStrides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1))
  const stridesInOutOrder = perm.map((p) => inStrides[p]!)
  const out = new Float32Array(values.length)
  const index = new Array<number>(shape.length).fill(0)
  for (let o = 0; o < out.length; o++) {
    let src = 0
    for (let d = 0; d < index.length; d++) src += index[d]! * stridesInOutOrder[d]!
    out[o] = values[src]!
    for (let d = index.length - 1; d >= 0; d--) {
      if (++index[d]! < outShape[d]!) break
      index[d] = 0
    }
  }
  return out
}

/** Keras 'same' pads the extra row and column at the end, as ONNX's SAME_UPPER does. */
const autoPad = (ctx: Context): string => {
  requireConfig(ctx, 'padding', ['same', 'valid'])
  return ctx.layer.config.padding === 'same' ? 'SAME_UPPER' : 'VALID'
}

function convolution(ctx: Context, kernel: Weight, depthwise: boolean): void {
  const { layer } = ctx
  requireConfig(ctx, 'data_format', ['channels_last'])
  requireConfig(ctx, 'activation', ['linear'])
  const [kh, kw, inChannels, last] = kernel.shape as [number, number, number, number]
  // Keras kernels are [kh, kw, in, out]; depthwise ones [kh, kw, in, multiplier]. ONNX wants
  // [out, in / group, kh, kw]; for depthwise, [in, multiplier, kh, kw] is that layout with
  // group = in (output channel c * multiplier + m in both).
  const W = depthwise
    ? ctx.constant(`${layer.name}/W`, permute(kernel.values, kernel.shape, [2, 3, 0, 1]), [inChannels * last, 1, kh, kw])
    : ctx.constant(`${layer.name}/W`, permute(kernel.values, kernel.shape, [3, 2, 0, 1]), [last, inChannels, kh, kw])
  const inputs = [ctx.inputs[0]!, W]
  if (layer.config.use_bias === true) {
    const bias = ctx.weight('bias')
    inputs.push(ctx.constant(`${layer.name}/B`, bias.values, bias.shape))
  }
  ctx.emit(
    node('Conv', inputs, [layer.name], {
      auto_pad: autoPad(ctx),
      kernel_shape: [kh, kw],
      strides: pair(layer.config.strides, `${layer.name}.strides`),
      dilations: pair(layer.config.dilation_rate, `${layer.name}.dilation_rate`),
      group: depthwise ? inChannels : 1,
    }),
  )
}

const CONVERTERS: Record<string, Converter> = {
  Conv2D: (ctx) => convolution(ctx, ctx.weight('kernel'), false),
  DepthwiseConv2D: (ctx) => convolution(ctx, ctx.weight('depthwise_kernel'), true),
  ZeroPadding2D: (ctx) => {
    requireConfig(ctx, 'data_format', ['channels_last'])
    const p = ctx.layer.config.padding
    if (!Array.isArray(p) || p.length !== 2) throw new Error(`layer ${ctx.layer.name}: padding ${JSON.stringify(p)} is not supported`)
    const [top, bottom] = pair(p[0], `${ctx.layer.name}.padding`)
    const [left, right] = pair(p[1], `${ctx.layer.name}.padding`)
    // ONNX pads: begins of every axis, then ends, in NCHW order.
    const pads = ctx.int64Constant(`${ctx.layer.name}/pads`, [0, 0, top, left, 0, 0, bottom, right])
    ctx.emit(node('Pad', [ctx.inputs[0]!, pads], [ctx.layer.name], { mode: 'constant' }))
  },
  BatchNormalization: (ctx) => {
    const { layer } = ctx
    requireConfig(ctx, 'axis', [-1, 3])
    const variance = ctx.weight('moving_variance')
    const ones = new Float32Array(variance.values.length).fill(1)
    const zeros = new Float32Array(variance.values.length)
    const gamma = layer.config.scale === false ? ones : ctx.weight('gamma').values
    const beta = layer.config.center === false ? zeros : ctx.weight('beta').values
    const n = [variance.values.length]
    ctx.emit(
      node(
        'BatchNormalization',
        [
          ctx.inputs[0]!,
          ctx.constant(`${layer.name}/scale`, gamma, n),
          ctx.constant(`${layer.name}/B`, beta, n),
          ctx.constant(`${layer.name}/mean`, ctx.weight('moving_mean').values, n),
          ctx.constant(`${layer.name}/var`, variance.values, n),
        ],
        [layer.name],
        { epsilon: Number(layer.config.epsilon ?? 0.001) },
      ),
    )
  },
  ReLU: (ctx) => {
    requireConfig(ctx, 'negative_slope', [0, null, undefined])
    requireConfig(ctx, 'threshold', [0, null, undefined])
    const max = ctx.layer.config.max_value
    if (typeof max === 'number') ctx.emit(node('Clip', [ctx.inputs[0]!, ctx.scalar(0), ctx.scalar(max)], [ctx.layer.name]))
    else ctx.emit(node('Relu', [ctx.inputs[0]!], [ctx.layer.name]))
  },
  Add: (ctx) => {
    if (ctx.inputs.length !== 2) throw new Error(`layer ${ctx.layer.name}: Add of ${ctx.inputs.length} inputs is not supported`)
    ctx.emit(node('Add', ctx.inputs, [ctx.layer.name]))
  },
  AveragePooling2D: (ctx) => {
    requireConfig(ctx, 'data_format', ['channels_last'])
    requireConfig(ctx, 'padding', ['valid'])
    ctx.emit(
      node('AveragePool', [ctx.inputs[0]!], [ctx.layer.name], {
        kernel_shape: pair(ctx.layer.config.pool_size, `${ctx.layer.name}.pool_size`),
        strides: pair(ctx.layer.config.strides, `${ctx.layer.name}.strides`),
      }),
    )
  },
  Flatten: (ctx) => {
    requireConfig(ctx, 'data_format', ['channels_last'])
    // Keras flattens channels-last (H, W, C order): back to NHWC first.
    const nhwc = `${ctx.layer.name}/nhwc`
    ctx.emit(node('Transpose', [ctx.inputs[0]!], [nhwc], { perm: [0, 2, 3, 1] }))
    ctx.emit(node('Flatten', [nhwc], [ctx.layer.name], { axis: 1 }))
  },
}

/** The layers `output` depends on, in the model's (topological) order. */
function ancestors(layers: readonly KerasLayer[], output: string): KerasLayer[] {
  const byName = new Map(layers.map((l) => [l.name, l]))
  const needed = new Set<string>()
  const visit = (name: string): void => {
    if (needed.has(name)) return
    const layer = byName.get(name)
    if (!layer) throw new Error(`the model has no layer ${name}`)
    if (layer.inbound_nodes.length > 1) throw new Error(`layer ${name} is called more than once (shared layers are not supported)`)
    needed.add(name)
    for (const [from] of layer.inbound_nodes[0] ?? []) visit(from)
  }
  visit(output)
  return layers.filter((l) => needed.has(l.name))
}

/**
 * The ONNX graph computing layer `output` of a Keras model. Its input is the model's input layer
 * as NCHW float32 with a symbolic batch 'N'; its output is named after `output`, of shape
 * `outputShape` (a pooled vector by default; a feature map is NCHW, e.g. ['N', 1280, 7, 7]).
 */
export function kerasToOnnx(layers: readonly KerasLayer[], weights: ReadonlyMap<string, Weight>, output: string, outputShape: ReadonlyArray<number | string> = ['N', 'D']): GraphSpec {
  const graph: GraphSpec = { name: output, nodes: [], initializers: [], inputs: [], outputs: [] }
  const scalars = new Map<number, string>()
  for (const layer of ancestors(layers, output)) {
    const inputs = (layer.inbound_nodes[0] ?? []).map(([from]) => from)
    if (layer.class_name === 'InputLayer') {
      const shape = layer.config.batch_input_shape
      if (!Array.isArray(shape) || shape.length !== 4) throw new Error(`input layer ${layer.name}: expected [batch, H, W, C], got ${JSON.stringify(shape)}`)
      const [, h, w, c] = shape as number[]
      graph.inputs.push(valueInfo(layer.name, 'float32', ['N', c!, h!, w!]))
      continue
    }
    const convert = CONVERTERS[layer.class_name]
    if (!convert) throw new Error(`layer ${layer.name}: ${layer.class_name} is not supported`)
    convert({
      layer,
      inputs,
      emit: (n) => graph.nodes.push(n),
      weight: (param) => {
        const w = weights.get(`${layer.name}/${param}`)
        if (!w) throw new Error(`layer ${layer.name}: weight ${layer.name}/${param} is missing`)
        return w
      },
      constant: (name, values, dims) => {
        graph.initializers.push(floatTensor(name, dims, values))
        return name
      },
      int64Constant: (name, values) => {
        graph.initializers.push(int64Tensor(name, [values.length], values))
        return name
      },
      scalar: (value) => {
        let name = scalars.get(value)
        if (!name) {
          name = `scalar/${value}`
          scalars.set(value, name)
          graph.initializers.push(floatTensor(name, [], [value]))
        }
        return name
      },
    })
  }
  graph.outputs.push(valueInfo(output, 'float32', outputShape))
  return graph
}
