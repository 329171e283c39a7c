// Builds ONNX models in code: the default image encoder converts nsfwjs's Keras weights into one,
// and tests build tiny models to load through the registry. onnx-proto is protobufjs's compiled
// ONNX schema (a CommonJS module, hence the default import).
import onnxProto from 'onnx-proto'

const { onnx } = onnxProto

/** Opset 13: ReduceMean takes its axes as an attribute, Clip its bounds as inputs. */
const OPSET = 13
/** IR version 7 is what opset 13 was released with; onnxruntime reads it. */
const IR_VERSION = 7

export type ElemType = 'float32' | 'int64'
const ELEM: Record<ElemType, number> = { float32: onnx.TensorProto.DataType.FLOAT, int64: onnx.TensorProto.DataType.INT64 }

export type Attribute = number | number[] | string
export type Node = onnxProto.onnx.INodeProto
export type Tensor = onnxProto.onnx.ITensorProto
export type ValueInfo = onnxProto.onnx.IValueInfoProto

/** A constant stored little-endian in raw_data, the compact form readers expect for big weights. */
export function floatTensor(name: string, dims: readonly number[], values: Float32Array | readonly number[]): Tensor {
  const data = values instanceof Float32Array ? values : Float32Array.from(values)
  checkSize(name, dims, data.length)
  return { name, dims: [...dims], dataType: ELEM.float32, rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) }
}

export function int64Tensor(name: string, dims: readonly number[], values: readonly number[]): Tensor {
  checkSize(name, dims, values.length)
  const data = BigInt64Array.from(values, (v) => BigInt(v))
  return { name, dims: [...dims], dataType: ELEM.int64, rawData: new Uint8Array(data.buffer) }
}

function checkSize(name: string, dims: readonly number[], length: number): void {
  const expected = dims.reduce((a, b) => a * b, 1)
  if (expected !== length) throw new Error(`tensor ${name}: shape [${dims.join(',')}] holds ${expected} values, got ${length}`)
}

function attribute(name: string, value: Attribute): onnxProto.onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType
  if (typeof value === 'string') return { name, type: T.STRING, s: new TextEncoder().encode(value) }
  if (Array.isArray(value)) return { name, type: T.INTS, ints: value }
  return Number.isInteger(value) ? { name, type: T.INT, i: value } : { name, type: T.FLOAT, f: value }
}

export function node(opType: string, inputs: string[], outputs: string[], attributes: Record<string, Attribute> = {}): Node {
  return {
    opType,
    input: inputs,
    output: outputs,
    name: outputs[0],
    attribute: Object.entries(attributes).map(([k, v]) => attribute(k, v)),
  }
}

/** A graph input or output; a string dimension is symbolic (e.g. 'N' for the batch). */
export function valueInfo(name: string, elemType: ElemType, shape: ReadonlyArray<number | string>): ValueInfo {
  const dim = shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d }))
  return { name, type: { tensorType: { elemType: ELEM[elemType], shape: { dim } } } }
}

export interface GraphSpec {
  name: string
  nodes: Node[]
  initializers: Tensor[]
  inputs: ValueInfo[]
  outputs: ValueInfo[]
}

/** The serialized model, ready for `InferenceSession.create(bytes)` or a file. */
export function buildModel(graph: GraphSpec): Uint8Array {
  const model = onnx.ModelProto.create({
    irVersion: IR_VERSION,
    producerName: 'common-ground',
    opsetImport: [{ domain: '', version: OPSET }],
    graph: { name: graph.name, node: graph.nodes, initializer: graph.initializers, input: graph.inputs, output: graph.outputs },
  })
  return onnx.ModelProto.encode(model).finish()
}
