"""citeproc-py's ``cs:substitute``, completed: what a substitution printed is not printed again.

A record without an author takes its title in the author's place (``cs:substitute``), and CSL says
the variables a substitution printed are then empty for the rest of the entry. citeproc-py 0.11
suppresses only a substitution's own ``variable`` attribute, and the common styles substitute
through ``cs:choose`` and macros, so a thread's citation printed its title twice ("*Title*. (n.d.).
*Title* [Online forum thread]." in APA, "“Title.” “Title.” Online forum thread." in MLA). Here the
text variables printed while a substitution is rendered are noted on the layout and, once it
printed something, suppressed like citeproc-py's own. (Names printed through a macro inside a
substitution are not noted: no forum record has an editor or another name to substitute.)
Imported for its effect by `ext.cite.render`.
"""

from __future__ import annotations

from typing import Any

from citeproc import model as csl_model

_unnoted_variable = csl_model.Text._variable


def _noted_variable(self: csl_model.Text, item: Any, context: Any) -> Any:
    text = _unnoted_variable(self, item, context)
    printing = getattr(context.get_layout(), "substituting", None)
    if text is not None and printing:
        printing[-1].append((self.tag, self.get("variable")))
    return text


def _render(self: csl_model.Substitute, item: Any, context: Any = None, **kwargs: Any) -> Any:
    """`citeproc.model.Substitute.render`, noting what each child printed."""
    layout = context.get_layout()
    if getattr(layout, "substituting", None) is None:
        layout.substituting = []
    text = None
    for child in self.getchildren():
        layout.substituting.append([])
        try:
            if isinstance(child, csl_model.Names) and child.name is None:
                names = self.xpath_search("./parent::cs:names[1]")[0]
                text = child.render(item, names_context=names, context=context, **kwargs)
            else:
                text = child.render(item, context=context, **kwargs)
        except csl_model.VariableError:
            continue
        finally:
            printed = layout.substituting.pop()
        if text:
            self.add_to_repressed_list(child, context)
            for tag, variable in printed:
                layout.repressed.setdefault(tag, []).append(variable)
            break
    return text


csl_model.Text._variable = _noted_variable
csl_model.Substitute.render = _render
