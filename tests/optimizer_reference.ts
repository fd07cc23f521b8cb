/**
 * Plain-number reference optimizers for the tests, written from PyTorch's
 * documented algorithms (the pseudo-code on the torch.optim pages of SGD,
 * Adam, AdamW, RMSprop and Adagrad; Lion from Chen et al. 2023, "Symbolic
 * Discovery of Optimization Algorithms", Algorithm 2) and from
 * `torch.nn.utils.clip_grad_norm_` / `clip_grad_value_`. Loops over
 * Float64Array, one element at a time; nothing here touches the compiler, the
 * optimizer table or a graph, so the compiled step is checked against an
 * independent implementation.
 *
 * The state of each parameter is kept under PyTorch's names
 * (`momentum_buffer`, `exp_avg`, `exp_avg_sq`, `max_exp_avg_sq`,
 * `square_avg`, `grad_avg`, `sum`).
 *
 * @module
 */

/** Options of a reference optimizer, with PyTorch's meanings (camelCase). */
export interface ReferenceConfig {
  /** Which algorithm. */
  readonly kind: "sgd" | "adam" | "adamw" | "rmsprop" | "adagrad" | "lion";
  /** γ, the learning rate (may be changed between steps through `lr`). */
  readonly lr: number;
  /** μ (SGD, RMSprop). */
  readonly momentum?: number;
  /** τ (SGD). */
  readonly dampening?: number;
  /** Nesterov momentum (SGD). */
  readonly nesterov?: boolean;
  /** λ. */
  readonly weightDecay?: number;
  /** β₁ (Adam, AdamW, Lion). */
  readonly beta1?: number;
  /** β₂ (Adam, AdamW, Lion). */
  readonly beta2?: number;
  /** ε. */
  readonly eps?: number;
  /** AMSGrad (Adam, AdamW). */
  readonly amsgrad?: boolean;
  /** α (RMSprop). */
  readonly alpha?: number;
  /** Centered RMSprop. */
  readonly centered?: boolean;
  /** η, learning-rate decay (Adagrad). */
  readonly lrDecay?: number;
  /** Initial value of Adagrad's sum. */
  readonly initialAccumulatorValue?: number;
  /** max_norm of clip_grad_norm_. */
  readonly clipNorm?: number;
  /** clip_value of clip_grad_value_. */
  readonly clipValue?: number;
}

/** A reference optimizer over named Float64Array parameters. */
export class ReferenceOptimizer {
  /** The configuration. */
  readonly config: ReferenceConfig;
  /** The parameters, updated in place by `step`. */
  readonly params: Record<string, Float64Array>;
  /** Per parameter, its state tensors by PyTorch's name. */
  readonly state: Record<string, Record<string, Float64Array>> = {};
  /** The learning rate of the next step. */
  lr: number;
  /** Steps taken. */
  t = 0;

  /** Copies the parameters; state starts as PyTorch initializes it. */
  constructor(config: ReferenceConfig, params: Record<string, ArrayLike<number>>) {
    this.config = config;
    this.lr = config.lr;
    this.params = {};
    for (const [name, values] of Object.entries(params)) {
      this.params[name] = Float64Array.from(values);
      this.state[name] = {};
    }
  }

  /** One step with the gradients of the current parameters. */
  step(gradients: Record<string, ArrayLike<number>>): void {
    this.t += 1;
    const grads: Record<string, Float64Array> = {};
    for (const name of Object.keys(this.params)) grads[name] = Float64Array.from(gradients[name]);
    const c = this.config;
    if (c.clipValue !== undefined) {
      // clip_grad_value_: clamp(g, −clip_value, clip_value)
      for (const g of Object.values(grads)) {
        for (let i = 0; i < g.length; i++) {
          g[i] = Math.min(Math.max(g[i], -c.clipValue), c.clipValue);
        }
      }
    }
    if (c.clipNorm !== undefined) {
      // clip_grad_norm_: total = ‖(‖g₁‖, ‖g₂‖, …)‖₂; coef = max_norm / (total + 1e-6),
      // clamped to 1; every gradient is multiplied by it.
      let squares = 0;
      for (const g of Object.values(grads)) {
        let s = 0;
        for (let i = 0; i < g.length; i++) s += g[i] * g[i];
        const norm = Math.sqrt(s);
        squares += norm * norm;
      }
      const total = Math.sqrt(squares);
      const coef = Math.min(c.clipNorm / (total + 1e-6), 1);
      for (const g of Object.values(grads)) {
        for (let i = 0; i < g.length; i++) g[i] = g[i] * coef;
      }
    }
    for (const name of Object.keys(this.params)) {
      const p = this.params[name];
      const g = grads[name];
      const s = this.state[name];
      const zeros = () => new Float64Array(p.length);
      switch (c.kind) {
        case "sgd":
          this.#sgd(p, g, s, zeros);
          break;
        case "adam":
        case "adamw":
          this.#adam(p, g, s, zeros);
          break;
        case "rmsprop":
          this.#rmsprop(p, g, s, zeros);
          break;
        case "adagrad":
          this.#adagrad(p, g, s);
          break;
        case "lion":
          this.#lion(p, g, s, zeros);
          break;
      }
    }
  }

  #sgd(
    p: Float64Array,
    g: Float64Array,
    s: Record<string, Float64Array>,
    zeros: () => Float64Array,
  ): void {
    const { momentum: mu = 0, dampening: tau = 0, nesterov = false, weightDecay: wd = 0 } =
      this.config;
    const gamma = this.lr;
    if (mu !== 0) s.momentum_buffer ??= zeros();
    for (let i = 0; i < p.length; i++) {
      let gt = g[i];
      if (wd !== 0) gt = gt + wd * p[i];
      if (mu !== 0) {
        const b = s.momentum_buffer;
        // PyTorch: the buffer starts as the first gradient itself (no dampening).
        b[i] = this.t > 1 ? mu * b[i] + (1 - tau) * gt : gt;
        gt = nesterov ? gt + mu * b[i] : b[i];
      }
      p[i] = p[i] - gamma * gt;
    }
  }

  #adam(
    p: Float64Array,
    g: Float64Array,
    s: Record<string, Float64Array>,
    zeros: () => Float64Array,
  ): void {
    const c = this.config;
    const decoupled = c.kind === "adamw";
    const b1 = c.beta1 ?? 0.9;
    const b2 = c.beta2 ?? 0.999;
    const eps = c.eps ?? 1e-8;
    const wd = c.weightDecay ?? (decoupled ? 1e-2 : 0);
    const gamma = this.lr;
    s.exp_avg ??= zeros();
    s.exp_avg_sq ??= zeros();
    if (c.amsgrad) s.max_exp_avg_sq ??= zeros();
    const t = this.t;
    for (let i = 0; i < p.length; i++) {
      let gt = g[i];
      if (decoupled) p[i] = p[i] - gamma * wd * p[i]; // θ ← θ − γλθ
      else if (wd !== 0) gt = gt + wd * p[i]; // g ← g + λθ
      const m = (s.exp_avg[i] = b1 * s.exp_avg[i] + (1 - b1) * gt);
      const v = (s.exp_avg_sq[i] = b2 * s.exp_avg_sq[i] + (1 - b2) * gt * gt);
      const mHat = m / (1 - Math.pow(b1, t));
      let vHat: number;
      if (c.amsgrad) {
        const vMax = (s.max_exp_avg_sq[i] = Math.max(s.max_exp_avg_sq[i], v));
        vHat = vMax / (1 - Math.pow(b2, t));
      } else {
        vHat = v / (1 - Math.pow(b2, t));
      }
      p[i] = p[i] - gamma * mHat / (Math.sqrt(vHat) + eps);
    }
  }

  #rmsprop(
    p: Float64Array,
    g: Float64Array,
    s: Record<string, Float64Array>,
    zeros: () => Float64Array,
  ): void {
    const c = this.config;
    const alpha = c.alpha ?? 0.99;
    const eps = c.eps ?? 1e-8;
    const wd = c.weightDecay ?? 0;
    const mu = c.momentum ?? 0;
    const gamma = this.lr;
    s.square_avg ??= zeros();
    if (c.centered) s.grad_avg ??= zeros();
    if (mu > 0) s.momentum_buffer ??= zeros();
    for (let i = 0; i < p.length; i++) {
      let gt = g[i];
      if (wd !== 0) gt = gt + wd * p[i];
      const v = (s.square_avg[i] = alpha * s.square_avg[i] + (1 - alpha) * gt * gt);
      let vTilde = v;
      if (c.centered) {
        const ga = (s.grad_avg[i] = s.grad_avg[i] * alpha + (1 - alpha) * gt);
        vTilde = vTilde - ga * ga;
      }
      if (mu > 0) {
        const b = (s.momentum_buffer[i] = mu * s.momentum_buffer[i] +
          gt / (Math.sqrt(vTilde) + eps));
        p[i] = p[i] - gamma * b;
      } else {
        p[i] = p[i] - gamma * gt / (Math.sqrt(vTilde) + eps);
      }
    }
  }

  #adagrad(p: Float64Array, g: Float64Array, s: Record<string, Float64Array>): void {
    const c = this.config;
    const eta = c.lrDecay ?? 0;
    const wd = c.weightDecay ?? 0;
    const eps = c.eps ?? 1e-10;
    s.sum ??= new Float64Array(p.length).fill(c.initialAccumulatorValue ?? 0);
    const gammaTilde = this.lr / (1 + (this.t - 1) * eta);
    for (let i = 0; i < p.length; i++) {
      let gt = g[i];
      if (wd !== 0) gt = gt + wd * p[i];
      const sum = (s.sum[i] = s.sum[i] + gt * gt);
      p[i] = p[i] - gammaTilde * gt / (Math.sqrt(sum) + eps);
    }
  }

  #lion(
    p: Float64Array,
    g: Float64Array,
    s: Record<string, Float64Array>,
    zeros: () => Float64Array,
  ): void {
    const c = this.config;
    const b1 = c.beta1 ?? 0.9;
    const b2 = c.beta2 ?? 0.99;
    const wd = c.weightDecay ?? 0;
    const eta = this.lr;
    s.exp_avg ??= zeros();
    for (let i = 0; i < p.length; i++) {
      const m = s.exp_avg[i];
      const update = Math.sign(b1 * m + (1 - b1) * g[i]);
      p[i] = p[i] - eta * (update + wd * p[i]);
      s.exp_avg[i] = b2 * m + (1 - b2) * g[i];
    }
  }
}

/**
 * The MSE loss of a dense layer `P = X·W + b` (X rows × F, W F × O, b O) and
 * its gradient in closed form: with R = P − Y, L = mean(R²) over all N·O
 * elements, ∂L/∂W = Xᵀ·(2R/(N·O)) and ∂L/∂b = Σ_rows 2R/(N·O).
 */
export function linearMseGradient(
  w: ArrayLike<number>,
  b: ArrayLike<number>,
  x: readonly (readonly number[])[],
  y: readonly (readonly number[])[],
): { loss: number; weight: Float64Array; bias: Float64Array } {
  const n = x.length;
  const f = x[0].length;
  const o = y[0].length;
  const weight = new Float64Array(f * o);
  const bias = new Float64Array(o);
  let loss = 0;
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < o; j++) {
      let prediction = b[j];
      for (let k = 0; k < f; k++) prediction += x[r][k] * w[k * o + j];
      const residual = prediction - y[r][j];
      loss += residual * residual / (n * o);
      const d = 2 * residual / (n * o);
      bias[j] += d;
      for (let k = 0; k < f; k++) weight[k * o + j] += x[r][k] * d;
    }
  }
  return { loss, weight, bias };
}
