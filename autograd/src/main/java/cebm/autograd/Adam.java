package cebm.autograd;

import cebm.tensor.Tensor;

import java.util.List;

/**
 * Adam (Kingma &amp; Ba, 2015): per-parameter steps scaled by running estimates of the gradient's
 * first and second moments. The moment tensors are part of the state a checkpoint saves; the
 * learning rate is the caller's, given at each step, so that it lives in one place.
 */
public final class Adam {
    /** The defaults of Kingma &amp; Ba, which the trainer uses. */
    public static final float BETA1 = 0.9f, BETA2 = 0.999f, EPS = 1e-8f;

    private final List<Variable> parameters;
    private final Tensor[] firstMoments;
    private final Tensor[] secondMoments;
    private final float beta1;
    private final float beta2;
    private final float eps;
    private int step;

    public Adam(List<Variable> parameters) {
        this(parameters, BETA1, BETA2, EPS);
    }

    public Adam(List<Variable> parameters, float beta1, float beta2, float eps) {
        this.parameters = List.copyOf(parameters);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        firstMoments = new Tensor[parameters.size()];
        secondMoments = new Tensor[parameters.size()];
        for (int i = 0; i < parameters.size(); i++) {
            Tensor p = parameters.get(i).value();
            firstMoments[i] = p.backend().full(0f, p.shape());
            secondMoments[i] = p.backend().full(0f, p.shape());
        }
    }

    /** Updates every parameter that has a gradient, in place, then clears the gradients. */
    public void step(float learningRate) {
        step++;
        for (int i = 0; i < parameters.size(); i++) {
            Variable p = parameters.get(i);
            if (p.grad() == null) continue;
            p.value().backend().adamUpdate(p.value(), p.grad(), firstMoments[i], secondMoments[i],
                    learningRate, beta1, beta2, eps, step);
            p.zeroGrad();
        }
    }

    public void zeroGrad() {
        parameters.forEach(Variable::zeroGrad);
    }

    /** Number of steps taken (the t of the bias correction). */
    public int stepCount() {
        return step;
    }

    public void setStepCount(int step) {
        this.step = step;
    }

    public Tensor firstMoment(int i) {
        return firstMoments[i];
    }

    public Tensor secondMoment(int i) {
        return secondMoments[i];
    }
}
