package cebm.tensor;

import java.util.function.UnaryOperator;

/**
 * The interface every device implements. {@link Ops} and the autograd layer call only these
 * methods, so they never know whether a tensor lives on the CPU or on a GPU.
 *
 * <p>It is narrow: a backend must implement the primitives (memory, random numbers, elementwise
 * maps and broadcast zips, reductions, the matrix product and the three convolution passes).
 * The fused ops that the CEBM spends its time in (Swish's backward pass, the fused convolution
 * layer, the log-normalizer and its gradient, the SGLD and Adam updates, the replay buffer's
 * gather and scatter) are default methods that compose those primitives: that composition is the
 * reference, and a fast backend overrides it with one pass that computes the same values.
 *
 * <p>Conventions: results are new contiguous tensors on this backend unless a method says it
 * works in place; inputs may be non-contiguous views; shapes have been checked by the caller
 * ({@link Ops}), so a backend may assume them valid.
 */
public interface Backend {
    String name();

    Device device();

    // ---- memory ----

    /** Wraps {@code data} (taking ownership, no copy on the CPU) as a contiguous tensor. */
    Tensor fromArray(float[] data, int... shape);

    Tensor full(float value, int... shape);

    /** A row-major host copy of the tensor's elements. */
    float[] toArray(Tensor t);

    /** One element of a storage, by flat index (slow: tests and printing). */
    float read(Storage storage, int index);

    /** A contiguous copy. */
    Tensor copy(Tensor t);

    /** Copies {@code src} into {@code dst} elementwise; both of the same shape, {@code dst} contiguous. */
    void copyInto(Tensor dst, Tensor src);

    // ---- random numbers: Philox4x32-10, so (seed, counter) gives the same numbers everywhere ----

    /** Element i is uniform on [low, high), from Philox block {@code counter + i/4}, lane {@code i % 4}. */
    Tensor uniform(int[] shape, float low, float high, long seed, long counter);

    /** Element i is N(mean, std²), by Box–Muller from lanes 0 and 1 of Philox block {@code counter + i/2}. */
    Tensor normal(int[] shape, float mean, float std, long seed, long counter);

    // ---- elementwise and reductions ----

    Tensor map(UnaryOp op, Tensor a);

    /** {@code op(a, b)} with NumPy broadcasting; {@code outShape} is the broadcast shape. */
    Tensor zip(BinaryOp op, Tensor a, Tensor b, int[] outShape);

    /** Reduces dimension {@code dim}, keeping it with size 1. */
    Tensor reduce(ReduceOp op, Tensor a, int dim);

    /** Index of the maximum along {@code dim} (kept with size 1), as floats. */
    Tensor argmax(Tensor a, int dim);

    // ---- linear algebra and convolution ----

    /** {@code [M,K]·[K,N] → [M,N]}, or batched {@code [B,M,K]·[B,K,N] → [B,M,N]}. */
    Tensor matmul(Tensor a, Tensor b);

    /** Convolution plus bias (bias may be null): {@code [N,C,H,W] * [F,C,KH,KW] → [N,F,OH,OW]}. */
    Tensor conv2d(Tensor x, Tensor weight, Tensor bias, Conv2dGeometry g);

    /** ∂L/∂x of a convolution given ∂L/∂out: a transposed convolution with the same weights. */
    Tensor conv2dInputGrad(Tensor gradOut, Tensor weight, Conv2dGeometry g);

    /** ∂L/∂w of a convolution given ∂L/∂out and its input x, summed over the batch. */
    Tensor conv2dWeightGrad(Tensor gradOut, Tensor x, Conv2dGeometry g);

    // ==== fused ops: the defaults below are the reference; fast backends override them ====

    /**
     * The fused layer: {@code z = conv2d(x, w) + b}, {@code y = swish(z)}. Returns {@code {y, z}};
     * z is kept for the backward pass, where swish'(z) is needed.
     */
    default Tensor[] conv2dBiasSwish(Tensor x, Tensor weight, Tensor bias, Conv2dGeometry g) {
        Tensor z = conv2d(x, weight, bias, g);
        return new Tensor[] {map(UnaryOp.SWISH, z), z};
    }

    /**
     * The backward pass of Swish: {@code gradY · swish'(z)} with
     * {@code swish'(z) = σ(z)·(1 + z·(1 − σ(z)))}; both tensors of the same shape.
     */
    default Tensor swishBackward(Tensor gradY, Tensor z) {
        int[] shape = z.shape();
        Tensor sigma = map(UnaryOp.SIGMOID, z);
        Tensor oneMinusSigma = zip(BinaryOp.SUB, constant(1f), sigma, shape);
        Tensor derivative = zip(BinaryOp.MUL, sigma, zip(BinaryOp.ADD, constant(1f), zip(BinaryOp.MUL, z, oneMinusSigma, shape), shape), shape);
        return zip(BinaryOp.MUL, gradY, derivative, shape);
    }

    /**
     * ∂L/∂x of the fused layer ({@link #conv2dBiasSwish}) given ∂L/∂y and z, when x is the only
     * input that needs a gradient (the SGLD loop): the input gradient of the convolution at
     * {@code ∂L/∂z = swishBackward(∂L/∂y, z)}. A backend may compute ∂L/∂z on the fly instead of
     * writing it out and reading it back.
     */
    default Tensor conv2dSwishInputGrad(Tensor gradY, Tensor z, Tensor weight, Conv2dGeometry g) {
        return conv2dInputGrad(swishBackward(gradY, z), weight, g);
    }

    // region log-normalizer (quoted in docs/cuda-kernels.md)
    /**
     * The batched Gaussian log-normalizer (spec §1): {@code out[b,l] = Σ_k B(λ1[l,k] + t1[b,k],
     * λ2[l,k] + t2[b,k])} with {@code B(a1, a2) = −a1²/(4 a2) − ½ log(−2 a2)}.
     * Shapes: t1, t2 {@code [B,K]}; λ1, λ2 {@code [L,K]}; out {@code [B,L]}.
     */
    default Tensor logNormalizer(Tensor t1, Tensor t2, Tensor lambda1, Tensor lambda2) {
        int batch = t1.size(0), components = lambda1.size(0), dims = t1.size(1);
        int[] cube = {batch, components, dims};
        Tensor a1 = posteriorNatural(t1, lambda1), a2 = posteriorNatural(t2, lambda2);
        Tensor quadratic = zip(BinaryOp.DIV, map(UnaryOp.SQUARE, a1), zip(BinaryOp.MUL, a2, constant(-4f), cube), cube);
        Tensor logTerm = zip(BinaryOp.MUL, map(UnaryOp.LOG, zip(BinaryOp.MUL, a2, constant(-2f), cube)), constant(-0.5f), cube);
        return reduce(ReduceOp.SUM, zip(BinaryOp.ADD, quadratic, logTerm, cube), 2).reshape(batch, components);
    }

    /**
     * The gradient of {@code Σ_{b,l} g[b,l]·out[b,l]}: since ∇B is the vector of mean parameters
     * (μ̃, μ̃² + σ̃²), returns {@code {∂/∂t1 [B,K], ∂/∂t2 [B,K], ∂/∂λ1 [L,K], ∂/∂λ2 [L,K]}}.
     */
    default Tensor[] logNormalizerGrad(Tensor g, Tensor t1, Tensor t2, Tensor lambda1, Tensor lambda2) {
        int batch = t1.size(0), components = lambda1.size(0), dims = t1.size(1);
        int[] cube = {batch, components, dims};
        Tensor a1 = posteriorNatural(t1, lambda1), a2 = posteriorNatural(t2, lambda2);
        // μ̃ = −a1/(2 a2) and σ̃² = −1/(2 a2): ∂B/∂a1 = μ̃, ∂B/∂a2 = μ̃² + σ̃².
        Tensor minusTwoA2 = zip(BinaryOp.MUL, a2, constant(-2f), cube);
        Tensor mean = zip(BinaryOp.DIV, a1, minusTwoA2, cube);
        Tensor variance = zip(BinaryOp.DIV, constant(1f), minusTwoA2, cube);
        Tensor weights = g.reshape(batch, components, 1);
        Tensor d1 = zip(BinaryOp.MUL, weights, mean, cube);
        Tensor d2 = zip(BinaryOp.MUL, weights, zip(BinaryOp.ADD, map(UnaryOp.SQUARE, mean), variance, cube), cube);
        return new Tensor[] {
            reduce(ReduceOp.SUM, d1, 1).reshape(batch, dims), reduce(ReduceOp.SUM, d2, 1).reshape(batch, dims),
            reduce(ReduceOp.SUM, d1, 0).reshape(components, dims), reduce(ReduceOp.SUM, d2, 0).reshape(components, dims),
        };
    }

    /** {@code λ[l,k] + t[b,k]} as {@code [B,L,K]}: a natural parameter of the posterior of each image under each component. */
    private Tensor posteriorNatural(Tensor t, Tensor lambda) {
        int batch = t.size(0), components = lambda.size(0), dims = t.size(1);
        return zip(BinaryOp.ADD, t.reshape(batch, 1, dims), lambda.reshape(1, components, dims), new int[] {batch, components, dims});
    }
    // endregion

    /**
     * One SGLD step in place (spec §2): {@code x ← x − step·grad + noiseStd·ε}, with
     * ε ~ N(0, 1) drawn exactly as {@link #normal} draws it from (seed, counter).
     * {@code x} must be contiguous.
     */
    default void sgldUpdate(Tensor x, Tensor grad, float step, float noiseStd, long seed, long counter) {
        int[] shape = x.shape();
        Tensor noise = normal(shape, 0f, noiseStd, seed, counter);
        Tensor moved = zip(BinaryOp.SUB, x, zip(BinaryOp.MUL, grad, constant(step), shape), shape);
        copyInto(x, zip(BinaryOp.ADD, moved, noise, shape));
    }

    // region sgld-loop (quoted in docs/cuda-kernels.md)
    /**
     * The SGLD loop (spec §2, step 3), in place on the contiguous {@code chains}: {@code steps} times
     * {@code x ← x − step·∇x E(x) + noiseStd·ε}, with ∇x E(x) from {@code gradient} and the ε of
     * step s drawn as {@link #sgldUpdate} draws it from {@code (seed, counter + s·normalBlocks(n))}.
     *
     * <p>Every tensor of one step is made inside a scope of {@code workspace}, so after the first
     * step the loop allocates nothing. {@code gradient} may only queue ops on this backend (no reads
     * to the host), and what it reads besides its argument (the model's parameters) must keep its
     * buffers: a backend may record one step and replay the recording for the others, as the CUDA
     * backend does with a CUDA graph. This default runs the steps one by one.
     */
    default void sgld(Tensor chains, int steps, UnaryOperator<Tensor> gradient, float step, float noiseStd,
                      long seed, long counter, Workspace workspace) {
        long blocksPerStep = RandomStream.normalBlocks(chains.numel());
        for (int s = 0; s < steps; s++) {
            try (Workspace.Scope scope = workspace.enter()) {
                sgldUpdate(chains, gradient.apply(chains), step, noiseStd, seed, counter + s * blocksPerStep);
            }
        }
    }
    // endregion

    /**
     * One Adam step in place on param, m and v (all contiguous, same shape); {@code step} counts
     * from 1. Kingma &amp; Ba (2015): {@code m ← β1·m + (1−β1)·g}, {@code v ← β2·v + (1−β2)·g²},
     * {@code param ← param − lr·m̂/(√v̂ + ε)} with the bias corrections {@code m̂ = m/(1−β1^step)},
     * {@code v̂ = v/(1−β2^step)} (the moments start at zero).
     */
    default void adamUpdate(Tensor param, Tensor grad, Tensor m, Tensor v,
                            float lr, float beta1, float beta2, float eps, int step) {
        int[] shape = param.shape();
        copyInto(m, zip(BinaryOp.ADD, zip(BinaryOp.MUL, m, constant(beta1), shape), zip(BinaryOp.MUL, grad, constant(1 - beta1), shape), shape));
        Tensor gradSquared = map(UnaryOp.SQUARE, grad);
        copyInto(v, zip(BinaryOp.ADD, zip(BinaryOp.MUL, v, constant(beta2), shape), zip(BinaryOp.MUL, gradSquared, constant(1 - beta2), shape), shape));
        Tensor mHat = zip(BinaryOp.DIV, m, constant((float) (1 - Math.pow(beta1, step))), shape);
        Tensor vHat = zip(BinaryOp.DIV, v, constant((float) (1 - Math.pow(beta2, step))), shape);
        Tensor denominator = zip(BinaryOp.ADD, map(UnaryOp.SQRT, vHat), constant(eps), shape);
        Tensor change = zip(BinaryOp.MUL, zip(BinaryOp.DIV, mHat, denominator, shape), constant(lr), shape);
        copyInto(param, zip(BinaryOp.SUB, param, change, shape));
    }

    /** Rows {@code a[rows[i]]} along dimension 0, stacked: the replay buffer's gather. */
    default Tensor gatherRows(Tensor a, int[] rows) {
        int[] shape = a.shape();
        shape[0] = rows.length;
        Tensor out = full(0f, shape);
        for (int i = 0; i < rows.length; i++) {
            checkRow("gatherRows", rows[i], a.size(0));
            copyInto(out.slice(i, i + 1), a.slice(rows[i], rows[i] + 1));
        }
        return out;
    }

    /** {@code dst[rows[i]] = src[i]} along dimension 0, in place: the replay buffer's scatter. */
    default void scatterRows(Tensor dst, int[] rows, Tensor src) {
        if (!dst.isContiguous()) throw new IllegalArgumentException("scatterRows: destination " + dst + " must be contiguous");
        for (int i = 0; i < rows.length; i++) {
            checkRow("scatterRows", rows[i], dst.size(0));
            copyInto(dst.slice(rows[i], rows[i] + 1), src.slice(i, i + 1));
        }
    }

    private static void checkRow(String op, int row, int rows) {
        if (row < 0 || row >= rows) throw new IndexOutOfBoundsException(op + ": row " + row + " outside [0, " + rows + ")");
    }

    /** A one-element tensor of this backend, broadcast against the others by {@link #zip}. */
    private Tensor constant(float value) {
        return full(value, 1);
    }
}
