// A small helper for writing ONNX graphs by hand: named constants, nodes with fresh output names,
// and the layers a trained head is made of (dense, ReLU MLP). The graphs of `head-graph.ts` are built
// with it; `#main/features/onnx-builder/proto` serialises them.
import { floatTensor, int64Tensor, node, valueInfo, type Attribute, type GraphSpec, type Node, type Tensor, type ValueInfo } from '#main/features/onnx-builder/proto'

export interface DenseWeights {
  /** [in, out], row-major: y = x·w + b, as the trainer stores them. */
  w: { shape: readonly number[]; values: Float32Array }
  b?: { shape: readonly number[]; values: Float32Array }
}

export class GraphBuilder {
  readonly nodes: Node[] = []
  readonly initializers: Tensor[] = []
  readonly inputs: ValueInfo[] = []
  readonly outputs: ValueInfo[] = []
  private count = 0
  /** A weight read twice (SCDR's shared E_c, a head applied to two inputs) is stored once. */
  private readonly stored = new WeakMap<Float32Array, string>()

  /** A fresh tensor name with a readable prefix. */
  name(prefix: string): string {
    return `${prefix}_${this.count++}`
  }

  constant(prefix: string, dims: readonly number[], values: Float32Array | readonly number[]): string {
    const known = values instanceof Float32Array ? this.stored.get(values) : undefined
    if (known) return known
    const name = this.name(prefix)
    this.initializers.push(floatTensor(name, dims, values))
    if (values instanceof Float32Array) this.stored.set(values, name)
    return name
  }

  int64(prefix: string, values: readonly number[]): string {
    const name = this.name(prefix)
    this.initializers.push(int64Tensor(name, [values.length], values))
    return name
  }

  /** One node; returns the name of its (first) output, `output` when given. */
  op(opType: string, inputs: string[], attributes: Record<string, Attribute> = {}, output?: string): string {
    const out = output ?? this.name(opType.toLowerCase())
    this.nodes.push(node(opType, inputs, [out], attributes))
    return out
  }

  /** x·w (+ b) for x of any rank ≥ 2: MatMul broadcasts over leading axes; ORT fuses the Add. */
  dense(x: string, layer: DenseWeights, prefix: string): string {
    const [rows, cols] = layer.w.shape as [number, number]
    const product = this.op('MatMul', [x, this.constant(`${prefix}_w`, [rows, cols], layer.w.values)])
    return layer.b ? this.op('Add', [product, this.constant(`${prefix}_b`, [cols], layer.b.values)]) : product
  }

  /** W2·ReLU(W1·x + b1) + b2. */
  mlp(x: string, first: DenseWeights, second: DenseWeights, prefix: string): string {
    return this.dense(this.op('Relu', [this.dense(x, first, `${prefix}_1`)]), second, `${prefix}_2`)
  }

  input(name: string, dim: number): string {
    this.inputs.push(valueInfo(name, 'float32', ['N', dim]))
    return name
  }

  /** Names `tensor` as a graph output of the given shape (an Identity keeps the graph's own names free). */
  output(name: string, tensor: string, shape: ReadonlyArray<number | string>, elemType: 'float32' | 'int64' = 'float32'): void {
    this.op('Identity', [tensor], {}, name)
    this.outputs.push(valueInfo(name, elemType, shape))
  }

  spec(name: string): GraphSpec {
    return { name, nodes: this.nodes, initializers: this.initializers, inputs: this.inputs, outputs: this.outputs }
  }
}
