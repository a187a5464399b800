"""What templates print, computed from the IR: frozen views holding names and source text.

A view is a pure function of the IR (and the `pytypes.Types` that spells its schemas). Every
name it hands out is claimed through `naming`, every per-field decision is taken here and
comes out as the source text the template prints, so templates only loop and print.
"""
