"""Models of the directives module (issue 5): the document register comes first."""
