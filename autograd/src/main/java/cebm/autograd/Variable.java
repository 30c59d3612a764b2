package cebm.autograd;

import cebm.tensor.Backend;
import cebm.tensor.Tensor;

/**
 * A node of the tape: a tensor value, the {@link Function} that made it (null for leaves), and,
 * for leaves that require a gradient, the accumulated gradient.
 *
 * <pre>{@code
 * Variable w = Variable.parameter(Tensors.of(new float[] {2, 3}, 2));
 * Variable loss = Sum.apply(Mul.apply(w, w));   // loss = Σ w²
 * loss.backward();                              // w.grad() = 2w = [4, 6]
 * }</pre>
 */
public final class Variable {
    private Tensor value;
    private final boolean requiresGrad;
    private Function creator;
    private Tensor grad;

    private Variable(Tensor value, boolean requiresGrad, Function creator) {
        this.value = value;
        this.requiresGrad = requiresGrad;
        this.creator = creator;
    }

    /** A leaf whose gradient is wanted: a model parameter, or an input image under SGLD. */
    public static Variable parameter(Tensor value) {
        return new Variable(value, true, null);
    }

    /** A leaf that never gets a gradient: data, fixed bias parameters. */
    public static Variable constant(Tensor value) {
        return new Variable(value, false, null);
    }

    /** The result of an op: records {@code creator} when gradients are being recorded. */
    static Variable result(Tensor value, Function creator) {
        return new Variable(value, creator != null, creator);
    }

    public Tensor value() {
        return value;
    }

    /**
     * Moves a leaf's value to another backend (a model's parameters and constants to a GPU), as
     * PyTorch's {@code module.to(device)} does: the variable stays the same object, so the layers and
     * the optimizer that hold it see the moved value. A no-op on the backend the value is already on.
     * Any gradient is dropped; move before creating the optimizer, whose moments follow the values.
     */
    public void moveTo(Backend backend) {
        if (!isLeaf()) throw new IllegalStateException("moveTo: " + this + " is not a leaf");
        if (value.backend() == backend) return;
        value = value.to(backend);
        grad = null;
    }

    public int[] shape() {
        return value.shape();
    }

    public boolean requiresGrad() {
        return requiresGrad;
    }

    public boolean isLeaf() {
        return creator == null;
    }

    /** The op that made this variable, or null for a leaf (and after the graph has been freed). */
    public Function creator() {
        return creator;
    }

    /** The gradient accumulated by {@link #backward()}; null until one has flowed here. */
    public Tensor grad() {
        return grad;
    }

    public void zeroGrad() {
        grad = null;
    }

    /** Reverse-mode differentiation of this scalar into every leaf that requires a gradient. */
    public void backward() {
        Tape.backward(this, null);
    }

    /** As {@link #backward()}, showing the gradient that reaches each node to {@code observer}. */
    public void backward(Tape.GradientObserver observer) {
        Tape.backward(this, observer);
    }

    void accumulateGrad(Tensor g) {
        grad = grad == null ? g : cebm.tensor.Ops.add(grad, g);
    }

    /** Drops the link to the op (and so to everything the op saved): the graph is freed. */
    void detachCreator() {
        creator = null;
    }

    @Override
    public String toString() {
        return "Variable" + cebm.tensor.Shape.show(value.shape()) + (creator == null ? "" : " ← " + creator.name());
    }
}
