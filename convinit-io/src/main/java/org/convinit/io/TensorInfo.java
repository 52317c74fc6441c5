package org.convinit.io;

import org.convinit.tensor.DType;
import org.convinit.tensor.Shape;

/**
 * A tensor listed in a checkpoint's index, before its data is read.
 *
 * @param name flattened name ({@code state_dict.conv1.weight})
 * @param dtype the element type, or null when the file's type is one convinit cannot hold
 * @param dtypeName the type as the file names it ({@code float32}, {@code ComplexFloatStorage}, ...)
 * @param shape the tensor's shape
 */
public record TensorInfo(String name, DType dtype, String dtypeName, Shape shape) {}
