"""Experimental agents and capabilities contributed on top of the core agents (AutoGen 0.2 ``contrib``)."""
