//! Parsing HTML into a scraper tree that knows the line each node starts on. html5ever's tree
//! builder tells its sink the tokenizer's line before every token it hands over, but scraper's
//! sink ignores it; this sink wraps scraper's and remembers, for every element and text node it
//! creates, the line it was created on (for text, the line it starts on: see `finish`). A start
//! tag is handed over when its `>` is read, so a tag spread over several lines counts from its
//! last one.

use std::borrow::Cow;
use std::cell::{Cell, Ref, RefCell};
use std::collections::HashMap;

use ego_tree::NodeId;
use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::tree_builder::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::{Attribute, QualName};
use scraper::{Html, HtmlTreeSink};

/// A parsed page and the 1-based line of its nodes.
pub struct Parsed {
    pub html: Html,
    lines: HashMap<NodeId, usize>,
}

impl Parsed {
    /// The line a node starts on; a node the parser made up (an implied `<tbody>`) has the line of
    /// its nearest ancestor that came from the source.
    pub fn line(&self, id: NodeId) -> usize {
        let mut node = self.html.tree.get(id);
        while let Some(n) = node {
            if let Some(&line) = self.lines.get(&n.id()) {
                return line;
            }
            node = n.parent();
        }
        1
    }
}

/// Parses a page, its nesting first bounded (see `depth`). Lines stay right: only tags are
/// dropped, never a line break.
pub fn parse(text: &str) -> Parsed {
    let text = super::depth::bounded(text);
    let sink = LineSink {
        inner: HtmlTreeSink::new(Html::new_document()),
        line: Cell::new(1),
        lines: RefCell::default(),
        text_ends: RefCell::default(),
    };
    html5ever::driver::parse_document(sink, Default::default()).one(&*text)
}

struct LineSink {
    inner: HtmlTreeSink,
    line: Cell<u64>,
    lines: RefCell<HashMap<NodeId, usize>>,
    /// For text nodes, the line of the last run of text appended to them.
    text_ends: RefCell<HashMap<NodeId, usize>>,
}

impl LineSink {
    fn line(&self) -> usize {
        usize::try_from(self.line.get()).unwrap_or(usize::MAX)
    }

    fn remember(&self, id: Option<NodeId>) {
        if let Some(id) = id {
            self.lines.borrow_mut().entry(id).or_insert(self.line());
        }
    }

    /// Text appended to a text node: the line of its last run is kept (see `finish`).
    fn remember_text(&self, id: Option<NodeId>) {
        if let Some(id) = id {
            self.text_ends.borrow_mut().insert(id, self.line());
        }
    }

    fn last_child(&self, parent: NodeId) -> Option<NodeId> {
        let html = self.inner.0.borrow();
        Some(html.tree.get(parent)?.last_child()?.id())
    }

    fn prev_sibling(&self, node: NodeId) -> Option<NodeId> {
        let html = self.inner.0.borrow();
        Some(html.tree.get(node)?.prev_sibling()?.id())
    }
}

impl TreeSink for LineSink {
    type Handle = NodeId;
    type Output = Parsed;
    type ElemName<'a> = Ref<'a, QualName>;

    fn finish(self) -> Parsed {
        let html = self.inner.finish();
        let mut lines = self.lines.into_inner();
        // Text reaches the sink in runs, each with the tokenizer's line when it was handed over:
        // at or past the run's end, never before it (a run is handed over once the next token
        // is seen). So a text node's first line is counted back from its last run's line.
        for (id, end) in self.text_ends.into_inner() {
            if let Some(scraper::Node::Text(t)) = html.tree.get(id).map(|n| n.value()) {
                let breaks = t.matches('\n').count();
                lines.insert(id, end.saturating_sub(breaks).max(1));
            }
        }
        Parsed { html, lines }
    }

    fn set_current_line(&self, line: u64) {
        self.line.set(line);
    }

    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> NodeId {
        let id = self.inner.create_element(name, attrs, flags);
        self.remember(Some(id));
        id
    }

    fn append(&self, parent: &NodeId, child: NodeOrText<NodeId>) {
        let text = matches!(child, NodeOrText::AppendText(_));
        self.inner.append(parent, child);
        if text {
            self.remember_text(self.last_child(*parent));
        }
    }

    fn append_before_sibling(&self, sibling: &NodeId, child: NodeOrText<NodeId>) {
        let text = matches!(child, NodeOrText::AppendText(_));
        self.inner.append_before_sibling(sibling, child);
        if text {
            self.remember_text(self.prev_sibling(*sibling));
        }
    }

    // Everything below is plain delegation.

    fn parse_error(&self, msg: Cow<'static, str>) {
        self.inner.parse_error(msg);
    }
    fn get_document(&self) -> NodeId {
        self.inner.get_document()
    }
    fn elem_name<'a>(&'a self, target: &'a NodeId) -> Ref<'a, QualName> {
        self.inner.elem_name(target)
    }
    fn create_comment(&self, text: StrTendril) -> NodeId {
        self.inner.create_comment(text)
    }
    fn create_pi(&self, target: StrTendril, data: StrTendril) -> NodeId {
        self.inner.create_pi(target, data)
    }
    fn append_based_on_parent_node(&self, el: &NodeId, prev: &NodeId, child: NodeOrText<NodeId>) {
        self.inner.append_based_on_parent_node(el, prev, child);
    }
    fn append_doctype_to_document(&self, name: StrTendril, public: StrTendril, system: StrTendril) {
        self.inner.append_doctype_to_document(name, public, system);
    }
    fn mark_script_already_started(&self, node: &NodeId) {
        self.inner.mark_script_already_started(node);
    }
    fn pop(&self, node: &NodeId) {
        self.inner.pop(node);
    }
    fn get_template_contents(&self, target: &NodeId) -> NodeId {
        self.inner.get_template_contents(target)
    }
    fn same_node(&self, x: &NodeId, y: &NodeId) -> bool {
        self.inner.same_node(x, y)
    }
    fn set_quirks_mode(&self, mode: QuirksMode) {
        self.inner.set_quirks_mode(mode);
    }
    fn add_attrs_if_missing(&self, target: &NodeId, attrs: Vec<Attribute>) {
        self.inner.add_attrs_if_missing(target, attrs);
    }
    fn associate_with_form(
        &self,
        target: &NodeId,
        form: &NodeId,
        nodes: (&NodeId, Option<&NodeId>),
    ) {
        self.inner.associate_with_form(target, form, nodes);
    }
    fn remove_from_parent(&self, target: &NodeId) {
        self.inner.remove_from_parent(target);
    }
    fn reparent_children(&self, node: &NodeId, new_parent: &NodeId) {
        self.inner.reparent_children(node, new_parent);
    }
    fn is_mathml_annotation_xml_integration_point(&self, handle: &NodeId) -> bool {
        self.inner
            .is_mathml_annotation_xml_integration_point(handle)
    }
}
