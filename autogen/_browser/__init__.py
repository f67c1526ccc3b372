"""The parts of :mod:`autogen.browser_utils`: fetching, converting pages to text, and web search."""
