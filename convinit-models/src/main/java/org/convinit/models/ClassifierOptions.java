package org.convinit.models;

/** The keyword arguments of the models whose only options are the classes and the classifier's dropout: AlexNet, SqueezeNet. */
public record ClassifierOptions(int numClasses, double dropout) {
    public static final ClassifierOptions DEFAULT = new ClassifierOptions(1000, 0.5);

    public ClassifierOptions {
        if (numClasses <= 0) throw new IllegalArgumentException("num_classes=" + numClasses + " must be positive");
        if (!(dropout >= 0 && dropout <= 1)) throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got " + dropout);
    }

    public ClassifierOptions numClasses(int n) {
        return new ClassifierOptions(n, dropout);
    }

    public ClassifierOptions dropout(double p) {
        return new ClassifierOptions(numClasses, p);
    }
}
