namespace CamAssert.Models.Layers;

/// <summary>How a model writes layer paths: dotted PyTorch module names, slashed Keras scopes, or flat names.</summary>
public enum NamingScheme
{
    /// <summary>Dotted module paths (<c>backbone.layer4.1</c>): PyTorch modules, and torch.onnx node scopes such as <c>/backbone/layer4/layer4.1/relu_1/Relu</c>.</summary>
    PyTorch,
    /// <summary>Slashed Keras paths (<c>resnet50/conv5_block3_out</c>), as tf2onnx / keras2onnx scope node names.</summary>
    Keras,
    /// <summary>Names carry no scope: each operation is a layer of its own.</summary>
    Flat,
}
