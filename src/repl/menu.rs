//! The completion menu: reedline's IdeMenu, with what pgcli users expect on top.
//!
//! - Quiet when it has nothing to offer: where nothing completes (a number, a new
//!   alias, inside a string) reedline's menus would print "NO RECORDS FOUND" and hide
//!   the history hint; this wrapper draws nothing then.
//! - "Entered" once the user moves in it (Tab, Shift-Tab, or Up/Down after that): the
//!   line then previews the highlighted candidate, and Enter accepts it. A menu opened
//!   by typing or Backspace and never entered leaves Enter, arrows and history alone
//!   (the key wrapper in `keys.rs` reads [`MenuState`] for that).
//!
//! The preview is spliced in while reedline handles the key (through
//! `can_partially_complete`, the one menu hook that runs then with the editor in
//! hand), so it is on screen in the same repaint; this menu owns every write to the
//! buffer made for a preview and undoes it before the inner menu looks at the buffer.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use reedline::{
    Completer, Editor, IdeMenu, Menu, MenuEvent, MenuSettings, Painter, Suggestion, UndoBehavior,
};

/// What the key wrapper needs to know about the menu, shared with it.
#[derive(Debug, Default)]
pub struct MenuState {
    /// The menu is open (maybe empty and so invisible).
    pub active: AtomicBool,
    /// The user moved into the menu (Tab, Shift-Tab).
    pub entered: AtomicBool,
    /// The next `MenuNext` walks backwards (Shift-Tab, Up): reedline calls the preview
    /// hook only for `MenuNext`, so the key wrapper sends that and sets this.
    pub backwards: AtomicBool,
    /// The prompt's mode indicator as last drawn (`[I]> `): reedline swaps the
    /// indicator for the menu's while a menu is open, and this keeps it the same, so
    /// the text does not jump and the vi mode stays on screen.
    pub indicator: Arc<Mutex<String>>,
    /// The term of the last history search (`/`, `?`, Ctrl-R), for vi's `n` and `N`.
    pub search_term: Mutex<String>,
}

impl MenuState {
    pub fn active(&self) -> bool {
        self.active.load(Ordering::SeqCst)
    }
    pub fn entered(&self) -> bool {
        self.active() && self.entered.load(Ordering::SeqCst)
    }
}

/// The buffer as the user left it, before a candidate was previewed in it.
#[derive(Debug, Clone)]
struct Preview {
    buffer: String,
    cursor: usize,
    /// Columns the cursor moved right by the preview: the menu stays where it opened.
    shift: i32,
}

pub struct QuietMenu {
    inner: IdeMenu,
    state: Arc<MenuState>,
    /// The highlighted entry (tracked here: IdeMenu does not expose it).
    index: usize,
    preview: Option<Preview>,
    /// A copy of `state.indicator`, to lend out.
    indicator: String,
    /// Activated and not yet asked anything: `can_partially_complete` now comes from
    /// opening the menu, not from Tab.
    just_opened: bool,
    /// Entering the menu highlights the first entry, which already is: the navigation
    /// event that follows is dropped.
    skip_next_move: bool,
    /// The inner menu's height limit now (`menu_height` of the screen's).
    height: u16,
}

/// Rows the menu may take on a tall screen.
pub(crate) const MAX_MENU_HEIGHT: u16 = 12;

/// Rows the menu may take on a screen `screen` rows high: all but four (the line being
/// edited, the one above it, and room for the box to move), at least three.
fn menu_height(screen: u16) -> u16 {
    screen.saturating_sub(4).clamp(3, MAX_MENU_HEIGHT)
}

impl QuietMenu {
    pub fn new(inner: IdeMenu, state: Arc<MenuState>) -> QuietMenu {
        QuietMenu {
            inner,
            state,
            index: 0,
            preview: None,
            indicator: "> ".to_string(),
            just_opened: false,
            skip_next_move: false,
            height: MAX_MENU_HEIGHT,
        }
    }

    fn empty(&self) -> bool {
        self.inner.get_values().is_empty()
    }

    fn sync(&mut self) {
        if let Ok(i) = self.state.indicator.lock() {
            if !i.is_empty() && *i != self.indicator {
                self.indicator.clone_from(&i);
            }
        }
        self.state
            .active
            .store(self.inner.is_active(), Ordering::SeqCst);
    }

    fn set_entered(&self, entered: bool) {
        self.state.entered.store(entered, Ordering::SeqCst);
    }

    /// Put the buffer back as the user typed it.
    fn restore(&mut self, editor: &mut Editor) {
        if let Some(p) = self.preview.take() {
            editor.edit_buffer(
                |lb| {
                    lb.set_buffer(p.buffer);
                    lb.set_insertion_point(p.cursor);
                },
                UndoBehavior::NoOp,
            );
        }
    }

    /// Show entry `index` in the line, in place of the word it would replace.
    fn apply_preview(&mut self, editor: &mut Editor) {
        self.restore(editor);
        let Some(s) = self.inner.get_values().get(self.index).cloned() else {
            return;
        };
        let buffer = editor.get_buffer().to_string();
        let cursor = editor.line_buffer().insertion_point();
        let (start, end) = (s.span.start, s.span.end);
        if start > end
            || end > buffer.len()
            || !buffer.is_char_boundary(start)
            || !buffer.is_char_boundary(end)
        {
            return;
        }
        editor.edit_buffer(
            |lb| {
                lb.replace_range(start..end, &s.value);
                lb.set_insertion_point(start + s.value.len());
            },
            UndoBehavior::NoOp,
        );
        let width = |t: &str| unicode_width::UnicodeWidthStr::width(t) as i32;
        let shift = width(&s.value) - width(&buffer[start..end]);
        self.preview = Some(Preview {
            buffer,
            cursor,
            shift,
        });
    }

    /// Tab (or Shift-Tab, Up, Down once entered): move and preview.
    fn step(&mut self, editor: &mut Editor) {
        let n = self.inner.get_values().len();
        if n == 0 {
            return;
        }
        if !self.state.entered() {
            self.set_entered(true);
            self.index = 0;
            self.skip_next_move = true;
        } else if self.state.backwards.load(Ordering::SeqCst) {
            self.index = (self.index + n - 1) % n;
        } else {
            self.index = (self.index + 1) % n;
        }
        self.apply_preview(editor);
    }
}

impl Menu for QuietMenu {
    fn settings(&self) -> &MenuSettings {
        self.inner.settings()
    }
    fn name(&self) -> &str {
        self.inner.name()
    }
    fn indicator(&self) -> &str {
        &self.indicator
    }
    fn is_active(&self) -> bool {
        self.inner.is_active()
    }
    fn set_active(&mut self, active: bool) {
        self.inner.set_active(active);
        self.sync();
    }
    fn clear_input(&mut self) {
        self.inner.clear_input()
    }
    fn on_activate(&mut self) {
        self.inner.on_activate()
    }
    fn on_deactivate(&mut self) {
        self.inner.on_deactivate()
    }
    fn handle_menu_event(&mut self, event: &MenuEvent) {
        self.inner.handle_menu_event(event)
    }
    fn menu_event(&mut self, event: MenuEvent) {
        let event = match event {
            MenuEvent::Activate(_) | MenuEvent::Deactivate | MenuEvent::Edit(_) => {
                // An edit lands on top of a preview: what is in the line now is the
                // user's text.
                self.preview = None;
                self.index = 0;
                self.set_entered(false);
                self.skip_next_move = false;
                self.just_opened = matches!(event, MenuEvent::Activate(_));
                Some(event)
            }
            MenuEvent::NextElement
            | MenuEvent::PreviousElement
            | MenuEvent::MoveDown
            | MenuEvent::MoveUp => {
                self.just_opened = false;
                let backwards = self.state.backwards.swap(false, Ordering::SeqCst);
                if std::mem::take(&mut self.skip_next_move) {
                    None
                } else if backwards {
                    Some(MenuEvent::PreviousElement)
                } else {
                    Some(event)
                }
            }
            other => {
                self.just_opened = false;
                Some(other)
            }
        };
        if let Some(event) = event {
            self.inner.menu_event(event);
        }
        self.sync();
    }
    fn can_quick_complete(&self) -> bool {
        self.inner.can_quick_complete()
    }
    fn can_partially_complete(
        &mut self,
        values_updated: bool,
        editor: &mut Editor,
        completer: &mut dyn Completer,
    ) -> bool {
        // Opening (by typing or by Tab) never rewrites the line; Tab (`MenuNext`,
        // the other caller) moves and previews.
        if std::mem::take(&mut self.just_opened) {
            if !values_updated {
                self.inner.update_values(editor, completer);
            }
        } else {
            // An empty menu asks again: the catalog may have arrived since it opened.
            if self.inner.get_values().is_empty() {
                self.restore(editor);
                self.inner.update_values(editor, completer);
            }
            self.step(editor);
        }
        false
    }
    fn update_values(&mut self, editor: &mut Editor, completer: &mut dyn Completer) {
        self.restore(editor);
        self.inner.update_values(editor, completer)
    }
    fn reset_position(&mut self) {
        self.index = 0;
        self.inner.reset_position()
    }
    fn reload(&mut self, updated: bool, editor: &mut Editor, completer: &mut dyn Completer) {
        self.restore(editor);
        self.index = 0;
        self.inner.reload(updated, editor, completer)
    }
    fn update_working_details(
        &mut self,
        editor: &mut Editor,
        completer: &mut dyn Completer,
        painter: &Painter,
    ) {
        // The inner menu works on the line as typed; the preview goes back on after.
        let previewing = self.preview.is_some();
        self.restore(editor);
        // On a short screen the box leaves the line being edited in sight: reedline gives
        // a menu every row it asks for, even above a statement taller than the screen.
        let height = menu_height(painter.screen_height());
        if height != self.height {
            self.height = height;
            let inner = std::mem::take(&mut self.inner);
            self.inner = inner.with_max_completion_height(height);
        }
        self.inner
            .update_working_details(editor, completer, painter);
        if previewing && self.inner.is_active() {
            self.apply_preview(editor);
        }
        self.sync();
    }
    fn replace_in_buffer(&self, editor: &mut Editor) {
        // A previewed entry is already in the line, cursor after it.
        if self.preview.is_none() {
            self.inner.replace_in_buffer(editor)
        }
    }
    fn menu_required_lines(&self, terminal_columns: u16) -> u16 {
        if self.empty() {
            0
        } else {
            self.inner.menu_required_lines(terminal_columns)
        }
    }
    fn menu_string(&self, available_lines: u16, use_ansi_coloring: bool) -> String {
        if self.empty() {
            String::new()
        } else {
            self.inner.menu_string(available_lines, use_ansi_coloring)
        }
    }
    fn min_rows(&self) -> u16 {
        if self.empty() {
            0
        } else {
            self.inner.min_rows()
        }
    }
    fn get_values(&self) -> &[Suggestion] {
        self.inner.get_values()
    }
    fn results_are_provisional(&self) -> bool {
        self.inner.results_are_provisional()
    }
    fn is_awaiting_first_answer(&self) -> bool {
        // reedline asks its menu wrapper `is_visible`, which does not reach ours; this
        // is what its default reads, so an empty menu claims no rows, keeps the
        // prompt's indicator and leaves the history hint on screen.
        self.inner.is_awaiting_first_answer() || self.empty()
    }
    fn is_visible(&self) -> bool {
        self.inner.is_visible() && !self.empty()
    }
    fn set_cursor_pos(&mut self, pos: (u16, u16)) {
        self.sync();
        let shift = self.preview.as_ref().map_or(0, |p| p.shift);
        let col = (i32::from(pos.0) - shift).max(0);
        self.inner
            .set_cursor_pos((u16::try_from(col).unwrap_or(pos.0), pos.1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn on_a_short_screen_the_menu_leaves_the_edited_line_in_sight() {
        assert_eq!(menu_height(24), MAX_MENU_HEIGHT);
        assert_eq!(menu_height(10), 6);
        assert_eq!(menu_height(5), 3);
        assert_eq!(menu_height(0), 3);
    }
}
