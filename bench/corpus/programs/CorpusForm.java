import java.awt.BorderLayout;
import java.awt.FlowLayout;
import java.awt.GridBagConstraints;
import java.awt.GridBagLayout;
import java.awt.Insets;
import javax.swing.*;
import javax.swing.table.DefaultTableModel;

/**
 * A customer form drawn by Swing, for the desktop corpus of the grounding benchmark.
 * Arguments: look and feel (metal | nimbus), language (en | fr), state (form | menu | dialog | chooser).
 * Its ground truth is read from the accessibility tree (java-atk-wrapper), not from this code.
 */
public class CorpusForm {
  static boolean fr;

  static String t(String en, String french) {
    return fr ? french : en;
  }

  static void row(JPanel panel, int y, String label, JComponent field) {
    GridBagConstraints c = new GridBagConstraints();
    c.insets = new Insets(4, 6, 4, 6);
    c.gridy = y;
    c.gridx = 0;
    c.anchor = GridBagConstraints.LINE_END;
    JLabel l = new JLabel(label);
    l.setLabelFor(field);
    panel.add(l, c);
    c.gridx = 1;
    c.anchor = GridBagConstraints.LINE_START;
    c.fill = GridBagConstraints.HORIZONTAL;
    c.weightx = 1;
    panel.add(field, c);
  }

  public static void main(String[] args) throws Exception {
    String laf = args.length > 0 ? args[0] : "metal";
    fr = args.length > 1 && args[1].equals("fr");
    String state = args.length > 2 ? args[2] : "form";
    UIManager.setLookAndFeel(
        laf.equals("nimbus")
            ? "javax.swing.plaf.nimbus.NimbusLookAndFeel"
            : "javax.swing.plaf.metal.MetalLookAndFeel");
    // A popup in its own window: the accessibility bridge places lightweight popups' items wrongly.
    JPopupMenu.setDefaultLightWeightPopupEnabled(false);
    SwingUtilities.invokeAndWait(
        () -> {
          JFrame frame = new JFrame(t("Customer record", "Fiche client"));
          JMenuBar bar = new JMenuBar();
          JMenu file = new JMenu(t("File", "Fichier"));
          file.add(new JMenuItem(t("New customer", "Nouveau client")));
          file.add(new JMenuItem(t("Open...", "Ouvrir...")));
          file.add(new JMenuItem(t("Save", "Enregistrer")));
          file.addSeparator();
          file.add(new JCheckBoxMenuItem(t("Show archived", "Afficher les archives")));
          file.add(new JMenuItem(t("Quit", "Quitter")));
          bar.add(file);
          JMenu edit = new JMenu(t("Edit", "Édition"));
          edit.add(new JMenuItem(t("Copy", "Copier")));
          edit.add(new JMenuItem(t("Paste", "Coller")));
          bar.add(edit);
          bar.add(new JMenu(t("Reports", "Rapports")));
          bar.add(new JMenu(t("Help", "Aide")));
          frame.setJMenuBar(bar);

          JPanel form = new JPanel(new GridBagLayout());
          row(form, 0, t("Last name", "Nom"), new JTextField("Dupont", 18));
          row(form, 1, t("First name", "Prénom"), new JTextField(18));
          row(form, 2, t("Email", "Courriel"), new JTextField(18));
          row(form, 3, t("Amount due", "Montant dû"), new JTextField("1 250,00 €", 10));
          row(
              form,
              4,
              t("Country", "Pays"),
              new JComboBox<>(new String[] {t("France", "France"), t("Belgium", "Belgique")}));
          JPanel kind = new JPanel(new FlowLayout(FlowLayout.LEFT));
          ButtonGroup group = new ButtonGroup();
          JRadioButton person = new JRadioButton(t("Individual", "Particulier"), true);
          JRadioButton company = new JRadioButton(t("Company", "Entreprise"));
          group.add(person);
          group.add(company);
          kind.add(person);
          kind.add(company);
          row(form, 5, t("Kind", "Type"), kind);
          JPanel checks = new JPanel(new FlowLayout(FlowLayout.LEFT));
          checks.add(new JCheckBox(t("Newsletter", "Lettre d'information"), true));
          checks.add(new JCheckBox(t("VIP customer", "Client prioritaire")));
          row(form, 6, "", checks);

          DefaultTableModel model =
              new DefaultTableModel(
                  new Object[][] {
                    {"FAC-2024-0042", "12/03/2024", "1 250,00 €"},
                    {"FAC-2024-0043", "15/03/2024", "89,90 €"},
                    {"FAC-2024-0051", "02/04/2024", "430,00 €"},
                  },
                  new Object[] {t("Invoice", "Facture"), t("Date", "Date"), t("Amount", "Montant")});
          JTable table = new JTable(model);
          JPanel orders = new JPanel(new BorderLayout());
          orders.add(new JScrollPane(table), BorderLayout.CENTER);

          JTabbedPane tabs = new JTabbedPane();
          tabs.addTab(t("Identity", "Identité"), form);
          tabs.addTab(t("Invoices", "Factures"), orders);
          tabs.addTab(t("Notes", "Remarques"), new JPanel());

          JPanel buttons = new JPanel(new FlowLayout(FlowLayout.RIGHT));
          buttons.add(new JButton(t("Delete", "Supprimer")));
          buttons.add(new JButton(t("Cancel", "Annuler")));
          buttons.add(new JButton(t("Save", "Enregistrer")));
          JPanel content = new JPanel(new BorderLayout());
          content.add(tabs, BorderLayout.CENTER);
          content.add(buttons, BorderLayout.SOUTH);
          frame.setContentPane(content);
          frame.setDefaultCloseOperation(JFrame.EXIT_ON_CLOSE);
          frame.pack();
          frame.setLocation(20, 20);
          frame.setVisible(true);
          if (state.equals("invoices")) tabs.setSelectedIndex(1);
          if (state.equals("menu")) SwingUtilities.invokeLater(file::doClick);
          if (state.equals("dialog"))
            SwingUtilities.invokeLater(
                () ->
                    JOptionPane.showConfirmDialog(
                        frame,
                        t("Delete customer Dupont?", "Supprimer le client Dupont ?"),
                        t("Confirm", "Confirmation"),
                        JOptionPane.YES_NO_CANCEL_OPTION));
          if (state.equals("chooser"))
            SwingUtilities.invokeLater(() -> new JFileChooser("/usr/share").showOpenDialog(frame));
        });
  }
}
