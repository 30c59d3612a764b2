package cebm.tensor;

/** Elementwise functions of two (broadcast) arguments that every backend implements. */
public enum BinaryOp {
    ADD {
        public float apply(float a, float b) { return a + b; }
    },
    SUB {
        public float apply(float a, float b) { return a - b; }
    },
    MUL {
        public float apply(float a, float b) { return a * b; }
    },
    DIV {
        public float apply(float a, float b) { return a / b; }
    };

    public abstract float apply(float a, float b);
}
