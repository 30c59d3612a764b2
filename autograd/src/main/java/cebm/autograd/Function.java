package cebm.autograd;

import cebm.tensor.Tensor;

/**
 * A differentiable op as recorded on the tape. Each op is one subclass with its forward (a
 * static {@code apply}) and its {@link #backward} side by side.
 *
 * <p>The contract of {@code backward}: given ∂L/∂output, return ∂L/∂input for each input
 * (same order as {@link #inputs()}), or null where {@link #needsGrad(int)} is false. Gradients
 * may have the broadcast shape of the output: the tape sums them down to each input's shape.
 */
public abstract class Function {
    private Variable[] inputs;
    private boolean[] needsGrad;

    // region record (quoted in docs/autodiff.md)
    /** Runs the forward result through the tape: records this op if any input requires a gradient. */
    protected final Variable record(Tensor output, Variable... inputs) {
        if (!GradMode.isEnabled()) return Variable.constant(output);
        boolean any = false;
        for (Variable v : inputs) any |= v.requiresGrad();
        if (!any) return Variable.constant(output);
        this.inputs = inputs;
        this.needsGrad = new boolean[inputs.length];
        for (int i = 0; i < inputs.length; i++) needsGrad[i] = inputs[i].requiresGrad();
        return Variable.result(output, this);
    }
    // endregion

    public abstract Tensor[] backward(Tensor gradOutput);

    /** Whether the gradient w.r.t. input {@code i} is wanted, so that backward can skip work (e.g. weight gradients during SGLD). */
    protected final boolean needsGrad(int i) {
        return needsGrad[i];
    }

    public Variable[] inputs() {
        return inputs;
    }

    /** The op's name as shown in graphs and errors. */
    public String name() {
        return getClass().getSimpleName();
    }

    void restrictGrads(boolean[] wanted) {
        for (int i = 0; i < needsGrad.length; i++) needsGrad[i] &= wanted[i];
    }

    /** Forgets the inputs (and, in subclasses, saved tensors become unreachable with this object). */
    void release() {
        inputs = null;
    }
}
