#!/usr/bin/env python3
"""tests/fixtures/shapes/shapes.onnx as a torch module, for reference scripts that need the trained shapes
classifier in torch (its training script's module has batch norms the export folded away). Its six operators
run with torch.nn.functional on the weights read from the file; `backbone` (an Identity) is called on the
tensor the global average pool reads, so hooks on it see CamAssert's layer 'backbone'."""
import torch


class OnnxShapes(torch.nn.Module):
    """tests/fixtures/shapes/shapes.onnx in torch: Conv, Relu, Add, GlobalAveragePool, Flatten, Gemm, in graph order."""
    def __init__(self, path):
        super().__init__()
        self.backbone = torch.nn.Identity()   # hook point: the tensor the global average pool reads (CamAssert's layer 'backbone')
        import onnx
        from onnx import numpy_helper
        self.graph = onnx.load(path).graph
        # Parameters (not a plain dict) so that tools which ask the module for its parameters' device find one.
        self.names = [i.name for i in self.graph.initializer]
        self.params = torch.nn.ParameterList([torch.nn.Parameter(torch.from_numpy(numpy_helper.to_array(i).copy())) for i in self.graph.initializer])

    def forward(self, x):
        import onnx
        v = dict(zip(self.names, self.params), **{self.graph.input[0].name: x})
        F = torch.nn.functional
        for n in self.graph.node:
            a = {at.name: onnx.helper.get_attribute_value(at) for at in n.attribute}
            i = [v[t] for t in n.input]
            if n.op_type == "Conv":
                pads = a.get("pads", [0, 0, 0, 0])
                assert pads[:2] == pads[2:], pads
                y = F.conv2d(i[0], i[1], i[2] if len(i) > 2 else None, stride=tuple(a.get("strides", [1, 1])), padding=tuple(pads[:2]),
                             dilation=tuple(a.get("dilations", [1, 1])), groups=a.get("group", 1))
            elif n.op_type == "Relu":
                y = torch.relu(i[0])
            elif n.op_type == "Add":
                y = i[0] + i[1]
            elif n.op_type == "GlobalAveragePool":
                y = i[0].mean(dim=(2, 3), keepdim=True)
            elif n.op_type == "Flatten":
                y = i[0].flatten(a.get("axis", 1))
            elif n.op_type == "Gemm":
                assert a.get("transB", 0) == 1 and a.get("transA", 0) == 0
                y = F.linear(i[0], i[1], i[2])
            else:
                raise ValueError(n.op_type)
            v[n.output[0]] = y
            if any(c.op_type == "GlobalAveragePool" and c.input[0] == n.output[0] for c in self.graph.node):
                v[n.output[0]] = self.backbone(y)
        return v[self.graph.output[0].name]
