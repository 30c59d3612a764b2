package cebm.tensor;

/**
 * Tensor operations, checked and dispatched to the backend that owns the data. These are the
 * plain (non-differentiable) ops; {@code cebm.autograd} wraps them with gradients.
 *
 * <p>Every op checks its shapes here, once, and names itself and the shapes in the exception,
 * so that backends can assume valid input.
 */
public final class Ops {
    private Ops() {}

    // ---- elementwise ----

    public static Tensor add(Tensor a, Tensor b) {
        return zip(BinaryOp.ADD, a, b);
    }

    public static Tensor sub(Tensor a, Tensor b) {
        return zip(BinaryOp.SUB, a, b);
    }

    public static Tensor mul(Tensor a, Tensor b) {
        return zip(BinaryOp.MUL, a, b);
    }

    public static Tensor div(Tensor a, Tensor b) {
        return zip(BinaryOp.DIV, a, b);
    }

    public static Tensor add(Tensor a, float b) {
        return add(a, Tensors.scalar(b));
    }

    public static Tensor mul(Tensor a, float b) {
        return mul(a, Tensors.scalar(b));
    }

    public static Tensor neg(Tensor a) {
        return map(UnaryOp.NEG, a);
    }

    public static Tensor exp(Tensor a) {
        return map(UnaryOp.EXP, a);
    }

    public static Tensor log(Tensor a) {
        return map(UnaryOp.LOG, a);
    }

    public static Tensor sqrt(Tensor a) {
        return map(UnaryOp.SQRT, a);
    }

    public static Tensor square(Tensor a) {
        return map(UnaryOp.SQUARE, a);
    }

    public static Tensor sigmoid(Tensor a) {
        return map(UnaryOp.SIGMOID, a);
    }

    public static Tensor swish(Tensor a) {
        return map(UnaryOp.SWISH, a);
    }

    public static Tensor map(UnaryOp op, Tensor a) {
        return a.backend().map(op, a);
    }

    public static Tensor zip(BinaryOp op, Tensor a, Tensor b) {
        int[] out = Shape.broadcast(op.name().toLowerCase(), a.shape(), b.shape());
        return backendOf(op.name().toLowerCase(), a, b).zip(op, a, b, out);
    }

    // ---- reductions ----

    /** Sum over the given dimensions, which are removed from the shape (all of them if none given). */
    public static Tensor sum(Tensor a, int... dims) {
        return reduceDims(ReduceOp.SUM, "sum", a, dims, false);
    }

    /** Sum over the given dimensions, each kept with size 1 (so the result broadcasts against a). */
    public static Tensor sumKeepDims(Tensor a, int... dims) {
        return reduceDims(ReduceOp.SUM, "sum", a, dims, true);
    }

    public static Tensor mean(Tensor a, int... dims) {
        Tensor s = sum(a, dims);
        return mul(s, (float) s.numel() / a.numel());
    }

    /** Maximum along one dimension, which is removed. */
    public static Tensor max(Tensor a, int dim) {
        return reduceDims(ReduceOp.MAX, "max", a, new int[] {dim}, false);
    }

    /** Index of the maximum along one dimension (removed), as floats. */
    public static Tensor argmax(Tensor a, int dim) {
        int d = Shape.axis("argmax", dim, a.rank());
        return squeeze(a.backend().argmax(a, d), d);
    }

    /** log Σ exp(a) along {@code dim} (removed), computed as {@code m + log Σ exp(a − m)} so that nothing overflows. */
    public static Tensor logSumExp(Tensor a, int dim) {
        int d = Shape.axis("logsumexp", dim, a.rank());
        Tensor m = a.backend().reduce(ReduceOp.MAX, a, d);
        Tensor s = a.backend().reduce(ReduceOp.SUM, exp(sub(a, m)), d);
        return squeeze(add(log(s), m), d);
    }

    /**
     * exp(a − m) / Σ exp(a − m) along {@code dim}, with m the maximum: the shift keeps exp from
     * overflowing, and dividing (rather than subtracting a rounded logsumexp) keeps full precision.
     */
    public static Tensor softmax(Tensor a, int dim) {
        int d = Shape.axis("softmax", dim, a.rank());
        Tensor e = exp(sub(a, a.backend().reduce(ReduceOp.MAX, a, d)));
        return div(e, e.backend().reduce(ReduceOp.SUM, e, d));
    }

    /**
     * Sums {@code grad} down to {@code shape}: the inverse of broadcasting, which the backward
     * pass of every broadcasting op needs.
     */
    public static Tensor sumToShape(Tensor grad, int[] shape) {
        int[] g = grad.shape();
        if (java.util.Arrays.equals(g, shape)) return grad;
        int lead = g.length - shape.length;
        Tensor out = grad;
        for (int i = g.length - 1; i >= 0; i--) {
            boolean broadcastHere = i < lead || (shape[i - lead] == 1 && g[i] != 1);
            if (broadcastHere) out = out.backend().reduce(ReduceOp.SUM, out, i);
        }
        return out.reshape(shape);
    }

    // ---- linear algebra ----

    /** {@code [M,K]·[K,N]}, or batched {@code [B,M,K]·[B,K,N]}. */
    public static Tensor matmul(Tensor a, Tensor b) {
        int[] sa = a.shape(), sb = b.shape();
        boolean plain = sa.length == 2 && sb.length == 2 && sa[1] == sb[0];
        boolean batched = sa.length == 3 && sb.length == 3 && sa[0] == sb[0] && sa[2] == sb[1];
        if (!plain && !batched) {
            throw new IllegalArgumentException("matmul: shapes " + Shape.show(sa) + " and " + Shape.show(sb)
                    + " do not match: expected [M,K]·[K,N] or [B,M,K]·[B,K,N]");
        }
        return backendOf("matmul", a, b).matmul(a, b);
    }

    /** A fully connected layer, {@code y = x·Wᵀ + b}: x {@code [B,in]}, W {@code [out,in]}, b {@code [out]} or null. */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        if (x.rank() != 2 || weight.rank() != 2 || x.size(1) != weight.size(1)
                || (bias != null && (bias.rank() != 1 || bias.size(0) != weight.size(0)))) {
            throw new IllegalArgumentException("linear: input " + Shape.show(x.shape()) + ", weight " + Shape.show(weight.shape())
                    + ", bias " + (bias == null ? "none" : Shape.show(bias.shape())) + ": expected [B,in], [out,in], [out]");
        }
        Tensor y = matmul(x, weight.transpose(0, 1));
        return bias == null ? y : add(y, bias);
    }

    // ---- convolution ----

    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int stride, int padding) {
        Conv2dGeometry g = Conv2dGeometry.of("conv2d", x.shape(), weight.shape(), stride, padding);
        checkBias("conv2d", bias, g);
        return backendOf("conv2d", x, weight).conv2d(x, weight, bias, g);
    }

    /** Fused {@code swish(conv2d(x, w) + b)}; returns {@code {y, z}} with z the pre-activation. */
    public static Tensor[] conv2dBiasSwish(Tensor x, Tensor weight, Tensor bias, int stride, int padding) {
        Conv2dGeometry g = Conv2dGeometry.of("conv2dSwish", x.shape(), weight.shape(), stride, padding);
        checkBias("conv2dSwish", bias, g);
        return backendOf("conv2dSwish", x, weight).conv2dBiasSwish(x, weight, bias, g);
    }

    // ---- shape helpers ----

    /** Removes dimension {@code dim}, which must have size 1. */
    public static Tensor squeeze(Tensor a, int dim) {
        int[] s = a.shape();
        if (s[dim] != 1) throw new IllegalArgumentException("squeeze: dimension " + dim + " of " + Shape.show(s) + " is not 1");
        int[] out = new int[s.length - 1];
        for (int i = 0, j = 0; i < s.length; i++) if (i != dim) out[j++] = s[i];
        return a.reshape(out);
    }

    /** Inserts a dimension of size 1 at {@code dim}. */
    public static Tensor unsqueeze(Tensor a, int dim) {
        int[] s = a.shape();
        int[] out = new int[s.length + 1];
        for (int i = 0, j = 0; i < out.length; i++) out[i] = i == dim ? 1 : s[j++];
        return a.reshape(out);
    }

    private static Tensor reduceDims(ReduceOp op, String name, Tensor a, int[] dims, boolean keep) {
        boolean[] reduce = new boolean[a.rank()];
        if (dims.length == 0) java.util.Arrays.fill(reduce, true);
        for (int d : dims) reduce[Shape.axis(name, d, a.rank())] = true;
        Tensor out = a;
        for (int d = a.rank() - 1; d >= 0; d--) {
            if (reduce[d]) {
                out = out.backend().reduce(op, out, d);
                if (!keep) out = squeeze(out, d);
            }
        }
        return out;
    }

    private static void checkBias(String op, Tensor bias, Conv2dGeometry g) {
        if (bias != null && (bias.rank() != 1 || bias.size(0) != g.outChannels())) {
            throw new IllegalArgumentException(op + ": bias " + Shape.show(bias.shape()) + " does not match "
                    + g.outChannels() + " output channels");
        }
    }

    /** The backend both operands live on; a scalar constant may come from the CPU. */
    static Backend backendOf(String op, Tensor a, Tensor b) {
        Backend ba = a.backend(), bb = b.backend();
        if (ba == bb) return ba;
        if (b.numel() == 1 && bb.device() == Device.CPU) return ba;
        if (a.numel() == 1 && ba.device() == Device.CPU) return bb;
        throw new IllegalArgumentException(op + ": operands on different backends (" + ba.name() + ", " + bb.name() + ")");
    }
}
